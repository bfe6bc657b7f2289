#!/usr/bin/env bash
# Restores one assembly's backup (made by ops/backup-assembly.sh) into a database that does not
# hold that assembly yet, normally a fresh one for a restore drill. See docs/DEPLOY.md.
set -euo pipefail

usage() {
  cat <<'USAGE'
Usage: ops/restore-assembly.sh --db CONNINFO --from DIR [--bin-dir DIR]

  --db CONNINFO   the target database (libpq URI or key=value string); it must exist and must not
                  hold the assembly's schema or registry row; password from PGPASSWORD or ~/.pgpass
  --from DIR      a backup directory written by ops/backup-assembly.sh
  --bin-dir DIR   where pg_restore and psql are (default: from PATH)

Checks the SHA-256 sums in DIR/MANIFEST, creates the control schema if the target has none,
restores the assembly's schema and inserts its registry row (jdbc_url cleared: the assembly now
lives in the target database). Stops at the first error.
USAGE
}

die() {
  echo "restore-assembly: $*" >&2
  exit 2
}

db="" from="" bin_dir=""
while [ $# -gt 0 ]; do
  case "$1" in
    --db) db="${2:-}"; shift 2 ;;
    --from) from="${2:-}"; shift 2 ;;
    --bin-dir) bin_dir="${2:-}"; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    *) usage >&2; die "unknown argument: $1" ;;
  esac
done
[ -n "$db" ] || { usage >&2; die "--db is required"; }
[ -n "$from" ] || { usage >&2; die "--from is required"; }
[ -f "$from/MANIFEST" ] || die "$from/MANIFEST not found: not a backup directory"

bin() {
  if [ -n "$bin_dir" ]; then
    [ -x "$bin_dir/$1" ] || die "$bin_dir/$1 not found or not executable"
    printf '%s' "$bin_dir/$1"
  else
    command -v "$1" >/dev/null || die "$1 not on PATH; install the PostgreSQL client or pass --bin-dir"
    printf '%s' "$1"
  fi
}
PG_RESTORE="$(bin pg_restore)"
PSQL="$(bin psql)"

manifest() {
  sed -n "s/^$1=//p" "$from/MANIFEST" | head -1
}
code="$(manifest assembly)"
schema="$(manifest schema)"
[[ "$code" =~ ^[A-Z][A-Z0-9]{1,15}$ ]] || die "MANIFEST: bad assembly code"
[[ "$schema" =~ ^[a-z][a-z0-9_]{1,62}$ ]] || die "MANIFEST: bad schema name"

(cd "$from" && sed -n 's/^sha256 //p' MANIFEST | sha256sum --check --quiet) \
  || die "checksum mismatch in $from: the backup is damaged"

psql_value() {
  "$PSQL" --no-psqlrc -X -q -A -t -v ON_ERROR_STOP=1 -d "$db" -c "$1"
}

if [ "$(psql_value "select count(*) from pg_namespace where nspname = '$schema'")" != "0" ]; then
  die "the target already has schema $schema; restore into a fresh database"
fi
if [ "$(psql_value "select count(*) from pg_namespace where nspname = 'control'")" = "0" ]; then
  "$PG_RESTORE" -d "$db" --exit-on-error --single-transaction --no-owner --no-privileges \
    "$from/control.dump"
elif [ "$(psql_value "select count(*) from control.assemblies where code = '$code'")" != "0" ]; then
  die "the target's registry already has $code"
fi

"$PG_RESTORE" -d "$db" --exit-on-error --single-transaction --no-owner --no-privileges \
  "$from/assembly.dump"

# The registry row last: until it exists the gateway does not see the assembly at all.
"$PSQL" --no-psqlrc -X -q -v ON_ERROR_STOP=1 -d "$db" <<SQL
begin;
create temporary table restored_registry (like control.assemblies including defaults) on commit drop;
\\copy restored_registry from '$from/registry.csv' with (format csv, header)
update restored_registry set jdbc_url = null;
insert into control.assemblies select * from restored_registry;
commit;
SQL
echo "restore-assembly: $code ($schema) restored from $from"
