#!/bin/sh
# Re-vendor Swagger UI (the offline /api/docs page) from the npm registry and check it.
# Usage: scripts/vendor-swagger-ui.sh [VERSION]   (default: the version pinned below)
set -eu
VERSION="${1:-5.35.0}"
HERE="$(cd "$(dirname "$0")/.." && pwd)"
TARGET="$HERE/src/backstride/web/static/vendor/swagger-ui"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
(cd "$WORK" && npm pack --silent "swagger-ui-dist@$VERSION" >/dev/null && tar xzf ./*.tgz)
for name in swagger-ui-bundle.js swagger-ui.css LICENSE NOTICE; do
    cp "$WORK/package/$name" "$TARGET/$name"
done
echo "$VERSION" > "$TARGET/VERSION"
if [ "$VERSION" = "5.35.0" ]; then
    (cd "$TARGET" && sha256sum -c SHA256SUMS)
else
    (cd "$TARGET" && sha256sum swagger-ui-bundle.js swagger-ui.css LICENSE NOTICE > SHA256SUMS)
fi
