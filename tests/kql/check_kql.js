// Checks KQL queries with Microsoft's Kusto language service against the Log Analytics schemas
// of AKSAudit, AKSAuditAdmin, AKSControlPlane and AzureDiagnostics. Usage:
//   node check_kql.js PACKAGE_DIR FILE...
// Each FILE holds one query or several separated by `// ---- query N of M: ... ----` lines.
// Prints every error diagnostic as FILE: query N: message at `text`; exits 1 if there is one.
'use strict';
const fs = require('fs');
const path = require('path');

const packageDir = path.resolve(process.argv[2]);
global.window = global;
require(path.join(packageDir, 'bridge.js'));
require(path.join(packageDir, 'Kusto.Language.Bridge.js'));
const K = global.Kusto.Language;
const S = K.Symbols;

// The tables' columns as Log Analytics documents them (Azure Monitor table reference).
const audit = '(TenantId: string, TimeGenerated: datetime, Level: string, AuditId: string, Stage: string, ' +
  'RequestUri: string, Verb: string, User: dynamic, SourceIps: dynamic, UserAgent: string, ' +
  'ObjectRef: dynamic, ResponseStatus: dynamic, RequestObject: dynamic, ResponseObject: dynamic, ' +
  'RequestReceivedTime: datetime, StageReceivedTime: datetime, Annotations: dynamic, PodName: string, ' +
  'SourceSystem: string, Type: string, _ResourceId: string)';
const tables = [
  S.TableSymbol.From(audit).WithName('AKSAudit'),
  S.TableSymbol.From(audit).WithName('AKSAuditAdmin'),
  S.TableSymbol.From('(TenantId: string, TimeGenerated: datetime, Category: string, Level: string, ' +
    'Message: string, PodName: string, Stream: string, SourceSystem: string, Type: string, ' +
    '_ResourceId: string)').WithName('AKSControlPlane'),
  S.TableSymbol.From('(TenantId: string, TimeGenerated: datetime, ResourceId: string, Category: string, ' +
    'ResourceGroup: string, SubscriptionId: string, ResourceProvider: string, Resource: string, ' +
    'ResourceType: string, OperationName: string, ResultType: string, log_s: string, pod_s: string, ' +
    'stream_s: string, containerID_s: string, SourceSystem: string, Type: string, ' +
    '_ResourceId: string)').WithName('AzureDiagnostics'),
];
const database = new S.DatabaseSymbol.ctor('workspace', tables);
const globals = K.GlobalState.Default.WithCluster(new S.ClusterSymbol.ctor('loganalytics', [database]))
  .WithDatabase(database);

function splitQueries(text) {
  return text.split(/^(?=\/\/ ---- query \d+ of \d+: )/m).filter((q) => q.trim() !== '');
}

let errors = 0;
let checked = 0;
for (const file of process.argv.slice(3)) {
  splitQueries(fs.readFileSync(file, 'utf8')).forEach((query, i) => {
    checked++;
    const diagnostics = K.KustoCode.ParseAndAnalyze(query, globals).GetDiagnostics();
    for (let d = 0; d < diagnostics.Count; d++) {
      const diagnostic = diagnostics.getItem(d);
      if (diagnostic.Severity !== 'Error') continue;
      errors++;
      const at = query.substr(diagnostic.Start, Math.max(diagnostic.Length, 1)).slice(0, 60);
      console.log(`${file}: query ${i + 1}: ${diagnostic.Message} at \`${at}\``);
    }
  });
}
console.log(`${checked} queries checked, ${errors} errors`);
process.exit(errors === 0 && checked > 0 ? 0 : 1);
