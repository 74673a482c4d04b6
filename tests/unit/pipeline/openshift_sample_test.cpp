// The public OpenShift sample (openshift-clo-audit_in.jsonl under KUBEBLAME_SHARED_SAMPLES_DIR, 100 real
// events) through the whole pipeline, against numbers computed independently with jq 1.6:
//
//   F=openshift-clo-audit_in.jsonl
//   wc -l < $F                                       # 100 (newline-terminated)
//   jq -r '.stage // "NONE"' $F | sort | uniq -c     # 92 ResponseComplete, 8 ResponseStarted
//   C='(.stage=="ResponseComplete" and .responseStatus.code!=101) or .stage=="Panic" or
//      .stage==null or (.stage=="ResponseStarted" and
//                       (.responseStatus.code==401 or .responseStatus.code==101))'
//   jq -s "[.[] | select($C)] | length" $F           # 94 requests
//   (two upgrades are logged only at ResponseStarted: an `oc exec` and a strimzi websocket watch)
//   jq -s "[.[] | select($C) | select((.responseStatus.code // 0) >= 400)] | length" $F  # 11
//   jq -r "select($C) | (.userAgent // \"\") | split(\"/\")[0]" $F | sort | uniq -c  # 19 agents
//   jq -r 'select(.responseStatus.code==101) | .stage' $F   # ResponseStarted twice, nothing else
//   jq -s -r '[.[].requestReceivedTimestamp] | min, max' $F    # the input's span
//   jq -s -c 'def us: (.[0:19]+"Z"|fromdateiso8601)*1000000 + (.[20:26]|tonumber);
//     def counted: '"$C"';
//     [.[] | select(counted)] | group_by(.verb) | .[] |
//     ([.[] | select(.verb!="watch" and .responseStatus.code!=101) |
//       ((.stageTimestamp|us) - (.requestReceivedTimestamp|us))]) as $lat |
//     {verb: .[0].verb, requests: length,
//      errors: ([.[] | select((.responseStatus.code // 0) >= 400)] | length),
//      watches: ([.[] | select(.verb=="watch" or .responseStatus.code==101)] | length),
//      cost_us: ($lat | add), max_us: ($lat | max),
//      first: ([.[].requestReceivedTimestamp] | min),
//      last: ([.[].requestReceivedTimestamp] | max)}' $F       # per-verb rows below
// Every timestamp in the file has 6 fraction digits; Python's datetime turned them into ns.
#include <catch2/catch.hpp>

#include <filesystem>
#include <map>

#include "kubeblame/pipeline/run.h"

namespace kubeblame::pipeline {
namespace {

using analyze::Dimension;

struct VerbExpectation {
  std::uint64_t requests, errors, watches;
  std::int64_t cost_ns, max_ns;
  model::TimeNs first, last;
};

TEST_CASE("The OpenShift sample matches independently computed numbers", "[pipeline][sample]") {
  const std::string path =
      std::string(KUBEBLAME_SHARED_SAMPLES_DIR) + "/openshift-clo-audit_in.jsonl";
  if (!std::filesystem::exists(path)) {
    WARN("skipped: " << path << " is absent");
    return;
  }
  for (unsigned threads : {1u, 3u}) {
    PipelineOptions options;
    options.inputs = {path};
    options.threads = threads;
    options.chunk_size = threads == 1 ? std::size_t{1} << 20 : 4096;
    options.plan.groupings = {{Dimension::kVerb}, {Dimension::kAgent}};
    RunResult result = run(options);
    REQUIRE(result.errors.empty());
    REQUIRE(result.inputs.size() == 1);
    CHECK(result.inputs[0].decoder == decode::DecoderKind::kAuditEvent);
    CHECK(result.inputs[0].framing == decode::Framing::kLines);

    const analyze::InputStats& s = result.merged->stats();
    CHECK(s.lines == 100);
    CHECK(s.decoded == 100);
    CHECK(s.events == 100);
    CHECK(s.requests == 94);
    CHECK(s.filtered == 0);
    CHECK(s.skipped_total() == 0);
    CHECK(s.formats[static_cast<std::size_t>(decode::Format::kAuditJsonLines)] == 100);
    CHECK(s.first == 1686576031803967000);  // 2023-06-12T13:20:31.803967Z
    CHECK(s.last == 1686576626954923000);   // 2023-06-12T13:30:26.954923Z

    const std::map<std::string, VerbExpectation> expected{
        {"create", {24, 8, 1, 91'175'000, 27'903'000, 1686576625754378000, 1686576626954923000}},
        {"delete", {2, 2, 0, 2'672'000, 1'413'000, 1686576626578850000, 1686576626584421000}},
        {"get", {48, 1, 0, 129'498'000, 13'631'000, 1686576625756122000, 1686576626949472000}},
        {"list", {2, 0, 0, 10'585'000, 6'316'000, 1686576626660064000, 1686576626936448000}},
        {"patch", {7, 0, 0, 44'148'000, 16'296'000, 1686576625823875000, 1686576626821749000}},
        {"update", {4, 0, 0, 44'649'000, 15'303'000, 1686576625759301000, 1686576626760165000}},
        {"watch", {7, 0, 7, 0, -1, 1686576031803967000, 1686576626729284000}},
    };
    const analyze::GroupTable& by_verb = result.merged->tables()[0];
    REQUIRE(by_verb.size() == expected.size());
    std::uint64_t errors = 0;
    for (std::size_t g = 0; g < by_verb.size(); ++g) {
      std::string verb(by_verb.key(g, 0));
      INFO("verb " << verb << ", threads " << threads);
      REQUIRE(expected.count(verb) == 1);
      const VerbExpectation& e = expected.at(verb);
      const analyze::GroupMetrics& m = by_verb.metrics(g);
      CHECK(m.requests == e.requests);
      CHECK(m.errors == e.errors);
      CHECK(m.watches == e.watches);
      CHECK(m.cost_ns == e.cost_ns);
      CHECK(m.max_ns == e.max_ns);
      CHECK(m.first == e.first);
      CHECK(m.last == e.last);
      CHECK(m.latency.count() == e.requests - e.watches);
      errors += m.errors;
    }
    CHECK(errors == 11);

    const std::map<std::string, std::uint64_t> agents{
        {"adapter", 1},
        {"catalog", 11},
        {"cluster-baremetal-operator", 1},
        {"cluster-image-registry-operator", 1},
        {"cluster-kube-apiserver-operator", 17},
        {"cluster-network-operator", 6},
        {"cluster-version-operator", 24},
        {"kube-apiserver", 8},
        {"kube-scheduler", 1},
        {"kubelet", 1},
        {"machine-approver", 1},
        {"manager", 1},
        {"marketplace-operator", 1},
        {"oauth-apiserver", 2},
        {"oc", 3},
        {"openshift-apiserver", 10},
        {"package-server", 1},
        {"strimzi-cluster-operator", 3},
        {"v2.6.0", 1},
    };
    const analyze::GroupTable& by_agent = result.merged->tables()[1];
    std::map<std::string, std::uint64_t> got;
    for (std::size_t g = 0; g < by_agent.size(); ++g) {
      got[std::string(by_agent.key(g, 0))] = by_agent.metrics(g).requests;
    }
    CHECK(got == agents);
  }
}

}  // namespace
}  // namespace kubeblame::pipeline
