#!/usr/bin/env bash
# Backs up one assembly: its schema (pg_dump custom format), the control schema's structure and
# migration history, and the assembly's row of the control registry. See docs/DEPLOY.md.
set -euo pipefail

usage() {
  cat <<'USAGE'
Usage: ops/backup-assembly.sh --db CONNINFO --assembly CODE --out DIR [--assembly-db CONNINFO] [--bin-dir DIR]

  --db CONNINFO           the gateway's main database (libpq URI or key=value string), e.g.
                          postgresql://gateway@db.internal:5432/gateway; password from PGPASSWORD
                          or ~/.pgpass, never on the command line
  --assembly CODE         the assembly code, e.g. AMA
  --out DIR               a new (or empty) directory for the backup
  --assembly-db CONNINFO  the database holding the assembly's schema, when it is not the main one
  --bin-dir DIR           where pg_dump and psql are (default: from PATH); their major version
                          must be at least the server's

Writes DIR/assembly.dump (pg_dump -Fc of the schema), DIR/control.dump (pg_dump -Fc of the control
schema without registry rows), DIR/registry.csv (the assembly's registry row) and DIR/MANIFEST
(what, when, from which server, with SHA-256 sums). Restore with ops/restore-assembly.sh.
USAGE
}

die() {
  echo "backup-assembly: $*" >&2
  exit 2
}

db="" assembly="" out="" assembly_db="" bin_dir=""
while [ $# -gt 0 ]; do
  case "$1" in
    --db) db="${2:-}"; shift 2 ;;
    --assembly) assembly="${2:-}"; shift 2 ;;
    --out) out="${2:-}"; shift 2 ;;
    --assembly-db) assembly_db="${2:-}"; shift 2 ;;
    --bin-dir) bin_dir="${2:-}"; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    *) usage >&2; die "unknown argument: $1" ;;
  esac
done
[ -n "$db" ] || { usage >&2; die "--db is required"; }
[ -n "$assembly" ] || { usage >&2; die "--assembly is required"; }
[ -n "$out" ] || { usage >&2; die "--out is required"; }
code="$(printf '%s' "$assembly" | tr '[:lower:]' '[:upper:]')"
[[ "$code" =~ ^[A-Z][A-Z0-9]{1,15}$ ]] || die "not an assembly code: $assembly"
[ -n "$assembly_db" ] || assembly_db="$db"

bin() {
  if [ -n "$bin_dir" ]; then
    [ -x "$bin_dir/$1" ] || die "$bin_dir/$1 not found or not executable"
    printf '%s' "$bin_dir/$1"
  else
    command -v "$1" >/dev/null || die "$1 not on PATH; install the PostgreSQL client or pass --bin-dir"
    printf '%s' "$1"
  fi
}
PG_DUMP="$(bin pg_dump)"
PSQL="$(bin psql)"

psql_value() {
  "$PSQL" --no-psqlrc -X -q -A -t -v ON_ERROR_STOP=1 -d "$1" -c "$2"
}

server_major="$(psql_value "$db" "show server_version_num")"
server_major=$((server_major / 10000))
dump_version="$("$PG_DUMP" --version | sed -E -n 's/^pg_dump \(PostgreSQL\) ([0-9]+).*/\1/p')"
[[ "$dump_version" =~ ^[0-9]+$ ]] || die "cannot tell the version of $PG_DUMP"
if [ "$dump_version" -lt "$server_major" ]; then
  die "pg_dump $dump_version cannot dump a PostgreSQL $server_major server; pass --bin-dir with PostgreSQL $server_major (or newer) client binaries"
fi

schema="$(psql_value "$db" "select schema_name from control.assemblies where code = '$code'")"
[ -n "$schema" ] || die "no assembly $code in control.assemblies"
[[ "$schema" =~ ^[a-z][a-z0-9_]{1,62}$ ]] || die "unexpected schema name: $schema"

if [ -e "$out" ] && [ -n "$(ls -A "$out")" ]; then
  die "$out exists and is not empty"
fi
mkdir -p "$out"

# The assembly's schema: tables, sequences, functions, triggers and its Flyway history.
"$PG_DUMP" -d "$assembly_db" --format=custom --no-owner --no-privileges \
  --schema="$schema" --file="$out/assembly.dump"
# The control schema's structure and migration history, but no other assembly's registry row.
"$PG_DUMP" -d "$db" --format=custom --no-owner --no-privileges \
  --schema=control --exclude-table-data=control.assemblies --file="$out/control.dump"
"$PSQL" --no-psqlrc -X -q -v ON_ERROR_STOP=1 -d "$db" \
  -c "\\copy (select * from control.assemblies where code = '$code') to '$out/registry.csv' with (format csv, header)"
[ "$(wc -l <"$out/registry.csv")" -ge 2 ] || die "registry row for $code was not written"

{
  echo "assembly=$code"
  echo "schema=$schema"
  echo "created_at=$(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "server_major=$server_major"
  echo "pg_dump=$("$PG_DUMP" --version)"
  (cd "$out" && sha256sum assembly.dump control.dump registry.csv | sed 's/^/sha256 /')
} >"$out/MANIFEST"
echo "backup-assembly: $code ($schema) written to $out"
