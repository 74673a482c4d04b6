// expand_inputs: files in the order given, directories recursively and sorted, stdin.
#include "kubeblame/io/input_list.h"

#include <catch2/catch.hpp>

#include <filesystem>

#include "kubeblame/io/byte_source.h"
#include "piece_source.h"

namespace kubeblame::io {
namespace {

TEST_CASE("expand_inputs: nothing or '-' means stdin", "[io]") {
  REQUIRE(expand_inputs({}).paths == std::vector<std::string>{"-"});
  REQUIRE(expand_inputs({"-"}).paths == std::vector<std::string>{"-"});
}

TEST_CASE("expand_inputs walks directories recursively in sorted order", "[io]") {
  test::TempDir dir;
  std::string root = dir.path().string();
  dir.write("b.log", "b");
  dir.write("a.log", "a");
  dir.write("sub/z.log", "z");
  dir.write("sub/deeper/c.json", "c");
  dir.write("A-upper.log", "A");
  std::filesystem::create_directories(dir.path() / "empty-dir");

  std::vector<std::string> expanded = expand_inputs({root}).paths;
  REQUIRE(expanded == std::vector<std::string>{
                          root + "/A-upper.log",
                          root + "/a.log",
                          root + "/b.log",
                          root + "/sub/deeper/c.json",
                          root + "/sub/z.log",
                      });
}

TEST_CASE("expand_inputs keeps files in the order given, mixed with directories", "[io]") {
  test::TempDir dir;
  std::string second = dir.write("second.log", "2");
  std::string first = dir.write("first.log", "1");
  dir.write("d/x.log", "x");
  std::string d = (dir.path() / "d").string();
  REQUIRE(expand_inputs({second, d, "-", first}).paths ==
          std::vector<std::string>{second, d + "/x.log", "-", first});
}

TEST_CASE("expand_inputs lists what can be read and names a missing path", "[io]") {
  test::TempDir dir;
  std::string missing = (dir.path() / "nope.log").string();
  std::string present = dir.write("yes.log", "y");
  InputList inputs = expand_inputs({present, missing});
  CHECK(inputs.paths == std::vector<std::string>{present});
  CHECK(inputs.problems == std::vector<std::string>{missing + ": No such file or directory"});
}

TEST_CASE("expand_inputs names an empty directory", "[io]") {
  test::TempDir dir;
  std::filesystem::create_directories(dir.path() / "empty" / "sub");
  std::string empty = (dir.path() / "empty").string();
  InputList inputs = expand_inputs({empty});
  CHECK(inputs.paths.empty());
  CHECK(inputs.problems == std::vector<std::string>{"no files under " + empty});
}

}  // namespace
}  // namespace kubeblame::io
