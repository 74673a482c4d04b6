// Calendar arithmetic: days/civil conversions against `date -u -d ... +%s`, and round trips.
#include "kubeblame/model/time.h"

#include <catch2/catch.hpp>

namespace kubeblame::model {
namespace {

TEST_CASE("days_from_civil and ns_from_civil match known epoch times", "[model][time]") {
  CHECK(days_from_civil(1970, 1, 1) == 0);
  CHECK(days_from_civil(2000, 3, 1) == 11017);
  CHECK(days_from_civil(1969, 12, 31) == -1);
  CivilTime t{2024, 6, 30, 19, 41, 14, 278898000};
  CHECK(ns_from_civil(t) == 1719776474LL * kNsPerSecond + 278898000);
  CivilTime leap{2024, 2, 29, 23, 59, 59, 0};
  CHECK(ns_from_civil(leap) == 1709251199LL * kNsPerSecond);
}

TEST_CASE("civil_from_ns inverts ns_from_civil", "[model][time]") {
  const TimeNs samples[] = {0,
                            1,
                            kNsPerDay - 1,
                            1709251199LL * kNsPerSecond + 999999999,
                            1719776474LL * kNsPerSecond + 278898000,
                            4102444800LL * kNsPerSecond,  // 2100-01-01, not a leap year
                            -1};
  for (TimeNs ns : samples) {
    CivilTime t = civil_from_ns(ns);
    INFO(ns);
    CHECK(ns_from_civil(t) == ns);
  }
  CivilTime t = civil_from_ns(1719776474LL * kNsPerSecond + 278898000);
  CHECK(t.year == 2024);
  CHECK(t.month == 6);
  CHECK(t.day == 30);
  CHECK(t.hour == 19);
  CHECK(t.minute == 41);
  CHECK(t.second == 14);
  CHECK(t.nanos == 278898000);
  CivilTime before_epoch = civil_from_ns(-1);
  CHECK(before_epoch.year == 1969);
  CHECK(before_epoch.month == 12);
  CHECK(before_epoch.day == 31);
  CHECK(before_epoch.second == 59);
  CHECK(before_epoch.nanos == 999999999);
}

}  // namespace
}  // namespace kubeblame::model
