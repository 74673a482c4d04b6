#!/usr/bin/env bash
# Installs Microsoft's Kusto language service (npm @kusto/language-service-next, the Bridge.NET
# build) into tests/.cache/kusto (gitignored), once. Prints the package directory; exits 1 when
# npm is missing or the install fails. .ci/run calls it; test_kql_language_service.sh too.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cache="$root/tests/.cache/kusto"
package="$cache/node_modules/@kusto/language-service-next"
version=12.4.1
if [ ! -f "$package/Kusto.Language.Bridge.js" ]; then
  command -v npm > /dev/null || { echo "npm is not installed" >&2; exit 1; }
  mkdir -p "$cache"
  npm install --prefix "$cache" --no-audit --no-fund --no-save --loglevel=error \
    "@kusto/language-service-next@$version" >&2
fi
echo "$package"
