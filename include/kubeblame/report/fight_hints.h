// Remediation hints for fight rows: which writer is a GitOps tool, the object's Kind, and the
// YAML (ArgoCD ignoreDifferences, Flux Kustomization patches, HelmRelease driftDetection) or
// the sentence that ends the fight.
#pragma once

#include <string>
#include <string_view>

#include "kubeblame/report/fights_report.h"

namespace kubeblame::report {

struct KindGuess {
  std::string kind;
  bool guessed = false;  // not a well-known resource: singularized and capitalized
};

// The Kind of a resource given its plural and API group: a table of well-known resources
// (core, apps, batch, networking, RBAC, CRDs, ArgoCD, Flux, cert-manager, ...), else a guess:
// the plural singularized (policies -> policy, ingresses -> ingress, subscriptions ->
// subscription) with its first letter capitalized: "Subscription". A guess cannot restore
// inner capitals (a CRD "fooconfigs" is guessed "Fooconfig", its Kind may be "FooConfig").
KindGuess kind_for_resource(std::string_view plural, std::string_view group);

enum class WriterTool {
  kOther,
  kArgoCd,          // fieldManager argocd-controller, agent argocd-application-controller/-server
  kFluxKustomize,   // kustomize-controller
  kFluxHelm,        // helm-controller
  kHelm,            // the helm CLI
};

WriterTool writer_tool(const report::FightWriter& writer);

// The hint for a fight or conflict row (writers, fields, object_kind and api_group filled).
std::string fight_hint(const report::FightRow& row);

// The hint for a hot-loop row; for a catalogued writer faster than its documented period
// (row.normal_write), how many times faster, the period's source and the likely cause.
std::string hot_loop_hint(const report::FightRow& row);

}  // namespace kubeblame::report
