// Fight detector on hand-built write sequences: exact flips/writes/per_hour/conflicts/pattern,
// writer unification, exclusions, handoffs, hot-loop thresholds, windows, and the same report
// whatever way the events are split between workers and merged.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "kubeblame/report/build.h"
#include "kubeblame/analyze/dimension.h"
#include "kubeblame/analyze/fights/fight_analyzer.h"
#include "kubeblame/analyze/fights/fights.h"
#include "kubeblame/report/render_fights.h"
#include "fight_feeder.h"

namespace kubeblame::analyze {
namespace {

std::vector<Write> alternate(std::size_t count, model::TimeNs step, std::string_view a = "a",
                             std::string_view b = "b") {
  std::vector<Write> writes;
  for (std::size_t i = 0; i < count; ++i) {
    writes.push_back(by(i % 2 == 0 ? a : b, kT0 + static_cast<model::TimeNs>(i) * step));
  }
  return writes;
}

TEST_CASE("an alternating sequence is a fight with exact counts", "[fights]") {
  report::FightsReport report = run(alternate(6, 600 * kS));
  REQUIRE(report.rows.size() == 1);
  const report::FightRow& row = report.rows[0];
  CHECK(row.kind == "fight");
  CHECK(row.object == "configmaps/shop/cm");
  CHECK(row.resource == "configmaps");
  CHECK(row.namespace_name == "shop");
  CHECK(row.name == "cm");
  CHECK(row.object_kind == "ConfigMap");
  CHECK(row.api_group.empty());
  CHECK(row.writes == 6);
  CHECK(row.flips == 5);
  CHECK(row.flips_exact);
  CHECK(row.window_writes == 6);
  CHECK(row.per_hour == Approx(6.0));  // 5 flips in 50 minutes
  CHECK(row.conflicts == 0);
  CHECK(row.pattern == "ABABAB");
  REQUIRE(row.writers.size() == 2);
  CHECK(row.writers[0].writer == "system:serviceaccount:shop:a (a)");
  CHECK(row.writers[0].user == "system:serviceaccount:shop:a");
  CHECK(row.writers[0].agent == "a");
  CHECK(row.writers[0].writes == 3);
  CHECK(row.writers[0].verbs == "patch");
  CHECK(row.writers[0].letter == 'A');
  CHECK(row.writers[1].writer == "system:serviceaccount:shop:b (b)");
  CHECK(row.writers[1].letter == 'B');
  CHECK(row.first == kT0);
  CHECK(row.last == kT0 + 3000 * kS);
  CHECK_FALSE(row.bodies);
  CHECK(row.fields.empty());
  CHECK(report.objects_written == 1);
  CHECK(report.writes == 6);
}

TEST_CASE("thresholds: flips, flips per hour, writes per writer", "[fights]") {
  FightOptions options;
  // 3 writes, 2 flips: below min_flips 3.
  CHECK(run(alternate(3, 60 * kS), options).rows.empty());
  CHECK(run(alternate(4, 60 * kS), options).rows.size() == 1);
  // 4 writes over 4 hours: 3 flips / 3 h = 1.0 per hour (reported), over 5 hours it is not.
  CHECK(run(alternate(4, 3600 * kS), options).rows.size() == 1);
  CHECK(run(alternate(4, 6000 * kS), options).rows.empty());
  options.min_flips_per_hour = 0.5;
  CHECK(run(alternate(4, 6000 * kS), options).rows.size() == 1);
}

TEST_CASE("low thresholds reach objects with one or two stored writes", "[fights]") {
  FightOptions options;
  options.min_flips = 1;
  options.min_writer_writes = 1;
  report::FightsReport report = run(alternate(2, 60 * kS), options);
  REQUIRE(report.rows.size() == 1);
  CHECK(report.rows[0].flips == 1);
  CHECK(report.rows[0].pattern == "AB");
  CHECK(report.rows[0].per_hour == Approx(60.0));
  CHECK(report.rows[0].first == kT0);
  CHECK(report.rows[0].last == kT0 + 60 * kS);
  options = FightOptions{};
  options.hot_min_writes = 1;
  options.hot_min_span_seconds = 0;
  options.hot_min_busy_fraction = 0;
  options.hot_min_per_hour = 0;
  report = run({by("a", kT0), by("a", kT0 + 60 * kS)}, options);
  REQUIRE(report.rows.size() == 1);
  CHECK(report.rows[0].kind == "hot-loop");
  CHECK(report.rows[0].per_hour == Approx(120.0));
}

TEST_CASE("flips that count: between writers with min_writer_writes each", "[fights]") {
  // A B C C B: 3 flips, but B and C (the sides) change only twice.
  std::vector<Write> writes = {by("a", kT0), by("b", kT0 + 60 * kS), by("c", kT0 + 120 * kS),
                               by("c", kT0 + 180 * kS), by("b", kT0 + 240 * kS)};
  CHECK(run(writes).rows.empty());
  // A B C A B: A and B alternate around a one-off C: side flips A B A B = 3.
  writes = {by("a", kT0), by("b", kT0 + 60 * kS), by("c", kT0 + 120 * kS), by("a", kT0 + 180 * kS),
            by("b", kT0 + 240 * kS)};
  report::FightsReport report = run(writes);
  REQUIRE(report.rows.size() == 1);
  CHECK(report.rows[0].flips == 4);
  CHECK(report.rows[0].pattern == "ABCAB");
}

TEST_CASE("a rare handoff is not a fight", "[fights]") {
  // An HPA scales every 5 minutes; one kubectl scale in the middle: 2 flips, 1 kubectl write.
  std::vector<Write> writes;
  for (int i = 0; i < 20; ++i) {
    Write w = by("horizontal-pod-autoscaler", kT0 + i * 300 * kS);
    w.resource = "deployments";
    w.group = "apps";
    w.subresource = "scale";
    w.verb = "update";
    w.name = "web";
    writes.push_back(w);
    if (i == 10) {
      Write k = by("kubectl", kT0 + i * 300 * kS + 60 * kS);
      k.resource = "deployments";
      k.group = "apps";
      k.subresource = "scale";
      k.name = "web";
      k.manager = "kubectl";
      writes.push_back(k);
    }
  }
  report::FightsReport report = run(writes);
  CHECK(report.rows.empty());
  CHECK(report.objects_written == 1);  // scale writes are writes to the deployment
  // Two kubectl scales hours apart: 4 flips over 10 hours is still below 1 flip per hour.
  writes.clear();
  for (int i = 0; i < 11; ++i) writes.push_back(by("hpa", kT0 + i * 3600 * kS));
  writes.push_back(by("kubectl", kT0 + 2 * 3600 * kS + 60 * kS));
  writes.push_back(by("kubectl", kT0 + 7 * 3600 * kS + 60 * kS));
  CHECK(run(writes).rows.empty());
}

TEST_CASE("normal traffic is left out and counted", "[fights]") {
  std::vector<Write> writes;
  for (int i = 0; i < 100; ++i) {
    model::TimeNs t = kT0 + i * 10 * kS;
    Write lease = by("kubelet", t);
    lease.resource = "leases";
    lease.group = "coordination.k8s.io";
    lease.ns = "kube-node-lease";
    lease.name = "node-1";
    lease.user = "system:node:node-1";
    lease.verb = "update";
    writes.push_back(lease);
    Write other = lease;  // a second holder taking turns: still leader election
    other.user = "system:node:node-2";
    other.time = t + kS;
    writes.push_back(other);
    Write node = lease;
    node.resource = "nodes";
    node.group.clear();
    node.subresource = "status";
    node.ns.clear();
    node.verb = "patch";
    writes.push_back(node);
    Write pod = node;
    pod.resource = "pods";
    pod.ns = "shop";
    pod.name = "web-1";
    writes.push_back(pod);
    Write event = by("kubelet", t);
    event.resource = "events";
    event.verb = "create";
    event.name = "web-1.17f";
    writes.push_back(event);
    event.group = "events.k8s.io";
    writes.push_back(event);
  }
  report::FightsReport report = run(writes);
  CHECK(report.rows.empty());
  CHECK(report.objects_written == 0);
  CHECK(report.excluded.lease_writes == 200);
  CHECK(report.excluded.heartbeat_writes == 200);
  CHECK(report.excluded.event_writes == 200);
  // The same status writes by a controller are tracked: a hot loop.
  for (Write& w : writes) w.user = "system:serviceaccount:kube-system:status-writer";
  report = run(writes);
  REQUIRE(report.rows.size() == 2);
  CHECK(report.rows[0].kind == "hot-loop");
  CHECK(report.rows[0].object == "nodes/status/node-1");
  CHECK(report.rows[1].object == "pods/status/shop/web-1");
}

TEST_CASE("hot loops: steady, fast and long enough", "[fights]") {
  auto loop = [](int count, model::TimeNs step) {
    std::vector<Write> writes;
    for (int i = 0; i < count; ++i) writes.push_back(by("looper", kT0 + i * step));
    return writes;
  };
  report::FightsReport report = run(loop(40, 60 * kS));  // 40 writes over 39 minutes
  REQUIRE(report.rows.size() == 1);
  const report::FightRow& row = report.rows[0];
  CHECK(row.kind == "hot-loop");
  CHECK(row.writes == 40);
  CHECK(row.flips == 0);
  CHECK(row.per_hour == Approx(40.0 * 3600 / 2340));
  CHECK(row.pattern == "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\xE2\x80\xA6");
  CHECK(row.hint.find("system:serviceaccount:shop:looper (looper) rewrites this object 62 times per hour") == 0);
  CHECK(run(loop(29, 60 * kS)).rows.empty());  // fewer than hot_min_writes
  CHECK(run(loop(40, 7 * kS)).rows.empty());   // 273 s: a burst, not a loop
  CHECK(run(loop(40, 62 * kS)).rows.empty());  // 59 writes per hour
  // A burst then silence: fast on average, but 2 of 20 slices busy.
  std::vector<Write> burst = loop(39, kS);
  burst.push_back(by("looper", kT0 + 1800 * kS));
  CHECK(run(burst).rows.empty());
  FightOptions lax;
  lax.hot_min_busy_fraction = 0.1;
  CHECK(run(burst, lax).rows.size() == 1);
}

TEST_CASE("409 conflicts: bursts, AlreadyExists, single writer", "[fights]") {
  std::vector<Write> writes;
  for (int i = 0; i < 3; ++i) writes.push_back(by("winner", kT0 + i * 60 * kS));
  for (int i = 0; i < 12; ++i) {
    Write w = by("loser", kT0 + i * 10 * kS);
    w.code = 409;
    w.verb = "update";
    writes.push_back(w);
  }
  Write exists = by("creator", kT0);
  exists.verb = "create";
  exists.code = 409;
  exists.reason = "AlreadyExists";
  for (int i = 0; i < 20; ++i) writes.push_back(exists);
  report::FightsReport report = run(writes);
  REQUIRE(report.rows.size() == 1);
  const report::FightRow& row = report.rows[0];
  CHECK(row.kind == "fight");
  CHECK(row.conflicts == 12);
  CHECK(row.writes == 3);
  CHECK(row.flips == 0);
  REQUIRE(row.writers.size() == 2);
  CHECK(row.writers[0].writer == "system:serviceaccount:shop:winner (winner)");
  CHECK(row.writers[1].writer == "system:serviceaccount:shop:loser (loser)");
  CHECK(row.writers[1].writes == 0);
  CHECK(row.writers[1].conflicts == 12);
  CHECK(row.pattern == "AAA");
  // One writer conflicting with itself.
  std::vector<Write> self;
  for (int i = 0; i < 10; ++i) {
    Write w = by("stale", kT0 + i * kS);
    w.code = i % 2 == 0 ? 409 : 200;
    self.push_back(w);
  }
  for (int i = 0; i < 5; ++i) {
    Write w = by("stale", kT0 + (20 + i) * kS);
    w.code = 409;
    self.push_back(w);
  }
  report = run(self);
  REQUIRE(report.rows.size() == 1);
  CHECK(report.rows[0].kind == "conflicts");
  CHECK(report.rows[0].conflicts == 10);
  CHECK(report.rows[0].hint.find("got 10 409 Conflicts") != std::string::npos);
  // A create's 409 counts only when the reason is Conflict.
  exists.reason = "Conflict";
  CHECK(run(std::vector<Write>(10, exists)).rows.size() == 1);
  self.resize(14);  // 9 conflicts
  CHECK(run(self).rows.empty());
}

TEST_CASE("writers: fieldManager, URL decoding, unification", "[fights]") {
  // The operator writes with ?fieldManager=op and without: one writer "op".
  std::vector<Write> writes = alternate(8, 60 * kS, "argo", "op");
  for (std::size_t i = 0; i < writes.size(); ++i) {
    if (i % 2 == 0) writes[i].manager = "argocd-controller";
    if (i % 4 == 1) writes[i].manager = "op";
  }
  report::FightsReport report = run(writes);
  REQUIRE(report.rows.size() == 1);
  REQUIRE(report.rows[0].writers.size() == 2);
  CHECK(report.rows[0].writers[0].writer == "argocd-controller");
  CHECK(report.rows[0].writers[1].writer == "op");
  CHECK(report.rows[0].writers[1].user == "system:serviceaccount:shop:op");
  CHECK(report.rows[0].writers[1].writes == 4);
  CHECK(report.rows[0].flips == 7);
  // Two field managers for one (user, agent): its plain writes stay "user (agent)".
  writes[3].manager = "op-status";
  report = run(writes);
  REQUIRE(report.rows[0].writers.size() == 4);
  CHECK(report.rows[0].writers[2].writer == "op-status");
  CHECK(report.rows[0].writers[3].writer == "system:serviceaccount:shop:op (op)");
  // URL-decoded, other parameters skipped.
  Write w = by("x", kT0);
  w.manager = "my%20mgr%2Fv1&dryRun=All";
  std::vector<Write> encoded = {w, w, w, w};
  for (std::size_t i = 0; i < encoded.size(); ++i) encoded[i].time = kT0 + static_cast<int>(i) * kS;
  encoded[1] = by("y", kT0 + kS);
  encoded[3] = by("y", kT0 + 3 * kS);
  report = run(encoded);
  REQUIRE(report.rows.size() == 1);
  CHECK(report.rows[0].writers[0].writer == "my mgr/v1");
}

TEST_CASE("contested fields from bodies; scale writes are the main object's", "[fights]") {
  std::vector<Write> writes;
  for (int i = 0; i < 6; ++i) {
    Write w = by(i % 2 == 0 ? "kustomize-controller" : "hpa", kT0 + i * 60 * kS);
    w.resource = "deployments";
    w.group = "apps";
    w.name = "web";
    if (i % 2 == 0) {
      w.manager = "kustomize-controller";
      w.body = R"({"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web","labels":{"app":"web"}},"spec":{"replicas":2,"paused":false}})";
    } else {
      w.subresource = "scale";
      w.verb = "update";
      w.body = R"({"kind":"Scale","apiVersion":"autoscaling/v1","metadata":{"name":"web","resourceVersion":")" +
               std::to_string(i) + R"("},"spec":{"replicas":)" + std::to_string(4 + i) + "}}";
    }
    writes.push_back(w);
  }
  report::FightsReport report = run(writes);
  REQUIRE(report.rows.size() == 1);
  const report::FightRow& row = report.rows[0];
  CHECK(row.object == "deployments.apps/shop/web");
  CHECK(row.object_kind == "Deployment");
  CHECK(row.api_group == "apps");
  CHECK(row.bodies);
  REQUIRE(row.fields.size() == 1);
  CHECK(row.fields[0].path == ".spec.replicas");
  REQUIRE(row.fields[0].values.size() == 2);
  CHECK(row.fields[0].values[0].writer == "kustomize-controller");
  CHECK(row.fields[0].values[0].value == "2");
  CHECK(row.fields[0].values[0].letter == 'A');
  CHECK(row.fields[0].values[1].writer == "system:serviceaccount:shop:hpa (hpa)");
  CHECK(row.fields[0].values[1].value == "9");  // the last value the HPA set
  CHECK(row.hint.find("patch: |\n      - op: remove\n        path: /spec/replicas\n") != std::string::npos);
}

TEST_CASE("bodies too big are counted; no bodies still reports", "[fights]") {
  std::vector<Write> writes = alternate(6, 60 * kS);
  report::FightsReport report = run(writes);
  REQUIRE(report.rows.size() == 1);
  CHECK_FALSE(report.rows[0].bodies);
  CHECK(report.rows[0].hint.find("no request bodies") != std::string::npos);
}

TEST_CASE("leader-election locks are not reported", "[fights]") {
  std::vector<Write> writes;
  for (int i = 0; i < 100; ++i) {
    Write w = by("scheduler", kT0 + i * 2 * kS);
    w.resource = "endpoints";
    w.ns = "kube-system";
    w.name = "kube-scheduler";
    w.verb = "update";
    w.body = R"({"metadata":{"annotations":{"control-plane.alpha.kubernetes.io/leader":"{\"holderIdentity\":\"x\",\"renewTime\":\")" +
             std::to_string(i) + R"(\"}"}}})";
    writes.push_back(w);
  }
  FightOptions options;
  options.hot_min_span_seconds = 60;
  report::FightsReport report = run(writes, options);
  CHECK(report.rows.empty());
  CHECK(report.excluded.leader_lock_writes == 100);
}

TEST_CASE("beyond max_writes_per_object flips cover the latest writes", "[fights]") {
  FightOptions options;
  options.max_writes_per_object = 4;
  std::vector<Write> writes;
  for (int i = 0; i < 10; ++i) writes.push_back(by("a", kT0 + i * 60 * kS));
  for (int i = 10; i < 16; ++i) writes.push_back(by(i % 2 == 0 ? "a" : "b", kT0 + i * 60 * kS));
  report::FightsReport report = run(writes, options);
  REQUIRE(report.rows.size() == 1);
  const report::FightRow& row = report.rows[0];
  CHECK(row.writes == 16);
  CHECK(row.window_writes == 4);
  CHECK_FALSE(row.flips_exact);
  CHECK(row.flips == 3);
  CHECK(row.per_hour == Approx(60.0));  // 3 flips in 3 minutes
  CHECK(row.pattern == "\xE2\x80\xA6" "ABAB");
  CHECK(row.writers[0].writes == 13);  // totals stay exact
  CHECK(row.first == kT0);
  CHECK(report::fights_flips_text(row) == "\xE2\x89\xA5" "3");
}

// Events spread over two analyzers (as workers would see them) and merged either way give the
// same report as one analyzer, also when windows are trimmed and objects sampled.
TEST_CASE("split and merged in any order: the same report", "[fights]") {
  FightOptions options;
  options.max_writes_per_object = 8;
  options.max_objects = 40;
  options.max_field_entries = 60;
  options.min_flips_per_hour = 0;
  std::vector<Write> writes;
  for (int i = 0; i < 1500; ++i) {
    Write w = by(i % 3 == 0 ? "a" : i % 3 == 1 ? "b" : "c", kT0 + (i * 7919 % 1500) * kS);
    w.name = "cm-" + std::to_string(i % 97);
    w.manager = i % 5 == 0 ? "" : (i % 3 == 0 ? "mgr-a" : "");
    w.code = i % 11 == 0 ? 409 : 200;
    w.body = R"({"data":{"k":")" + std::to_string(i % 4) + R"(","k)" + std::to_string(i % 3) + R"(":"v"}})";
    writes.push_back(w);
  }
  auto render = [&](FightAnalyzer& analyzer) {
    return report::render_fights_json(report::build_fights(analyzer, report::InputSummary{}, 0));
  };
  FightAnalyzer single(options);
  Feeder single_feeder(single);
  for (std::size_t i = 0; i < writes.size(); ++i) single_feeder.feed(writes[i], i + 1);
  std::string expected = render(single);
  CHECK(single.object_sample_level() > 0);
  CHECK(single.object_count() <= 40);
  CHECK(single.field_sample_level() > 0);
  CHECK(expected.find("\"kind\":\"fight\"") != std::string::npos);
  CHECK(expected.find("\"flips_exact\":false") != std::string::npos);  // windows were trimmed

  for (int split = 0; split < 3; ++split) {
    for (bool reverse : {false, true}) {
      FightAnalyzer x(options);
      FightAnalyzer y(options);
      Feeder fx(x);
      Feeder fy(y);
      for (std::size_t i = 0; i < writes.size(); ++i) {
        bool to_x = split == 0 ? i % 2 == 0 : split == 1 ? (i / 50) % 2 == 0 : i < 137;
        (to_x ? fx : fy).feed(writes[i], i + 1);
      }
      if (reverse) {
        y.merge(x);
        CHECK(render(y) == expected);
      } else {
        x.merge(y);
        CHECK(render(x) == expected);
      }
    }
  }
}

TEST_CASE("records sharing one line are ordered by their place in it", "[fights]") {
  // A batch line with four writes at the same timestamp: A B A B in the line.
  FightAnalyzer analyzer(FightOptions{});
  Feeder feeder(analyzer);
  for (int i = 0; i < 4; ++i) feeder.feed(by(i % 2 == 0 ? "a" : "b", kT0), 7);
  report::FightsReport report = report::build_fights(analyzer, report::InputSummary{}, 0);
  REQUIRE(report.rows.size() == 1);
  CHECK(report.rows[0].pattern == "ABAB");
  CHECK(report.rows[0].flips == 3);
  CHECK(report.rows[0].per_hour == Approx(10800.0));  // 3 flips within the 1-second floor
}

TEST_CASE("ranking: fights by flips per hour, then conflict bursts, then hot loops; top",
          "[fights]") {
  std::vector<Write> writes;
  auto add = [&](std::vector<Write> part, std::string_view name) {
    for (Write& w : part) {
      w.name = std::string(name);
      writes.push_back(w);
    }
  };
  add(alternate(6, 600 * kS), "slow");
  add(alternate(6, 60 * kS), "fast");
  std::vector<Write> loop;
  for (int i = 0; i < 40; ++i) loop.push_back(by("looper", kT0 + i * 30 * kS));
  add(loop, "loop");
  std::vector<Write> conflicts;
  for (int i = 0; i < 10; ++i) {
    Write w = by("stale", kT0 + i * kS);
    w.code = 409;
    conflicts.push_back(w);
  }
  add(conflicts, "stale");
  FightOptions options;
  FightAnalyzer analyzer(options);
  Feeder feeder(analyzer);
  for (std::size_t i = 0; i < writes.size(); ++i) feeder.feed(writes[i], i + 1);
  report::FightsReport report = report::build_fights(analyzer, report::InputSummary{}, 0);
  REQUIRE(report.rows.size() == 4);
  CHECK(report.rows[0].name == "fast");
  CHECK(report.rows[1].name == "slow");
  CHECK(report.rows[2].kind == "conflicts");
  CHECK(report.rows[3].kind == "hot-loop");
  CHECK(report.objects_written == 3);
  report = report::build_fights(analyzer, report::InputSummary{}, 1);
  CHECK(report.rows.size() == 1);
  CHECK(report.other_rows == 3);
}

}  // namespace
}  // namespace kubeblame::analyze
