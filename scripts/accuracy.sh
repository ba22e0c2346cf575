#!/usr/bin/env bash
# Regenerates the measured sections of docs/ACCURACY.md.
#
#   scripts/accuracy.sh            build the release binary, run every evaluation, rewrite the doc
#   SHUJIAN_EVAL=DIR scripts/accuracy.sh    evaluation data elsewhere (default: ../shared/eval)
#
# Each measured section of the doc sits between `<!-- BEGIN name -->` and `<!-- END name -->`
# markers; this script replaces what is between them with the command and its Markdown
# output, and leaves the hand-written text alone. The evaluation data is only read, never
# copied: the doc holds counts and scores, no text from the sets.
set -euo pipefail

cd "$(dirname "$0")/.."
EVAL=${SHUJIAN_EVAL:-../shared/eval}
DOC=docs/ACCURACY.md
TEXT=$EVAL/text

if [ ! -d "$TEXT" ]; then
    echo "accuracy.sh: $TEXT is absent; the evaluation data is needed (see docs/ACCURACY.md)" >&2
    exit 2
fi

cargo build --release --quiet --bin shujian
BIN=${CARGO_TARGET_DIR:-target}/release/shujian

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# section NAME ARGS... — runs `shujian eval spans ARGS... --format markdown` and puts the
# command and its output between the NAME markers of the doc. `KIND=columns section …` runs
# `shujian eval columns` instead.
section() {
    local name=$1 kind=${KIND:-spans}
    shift
    local block=$tmp/$name.md status=0
    {
        echo '```sh'
        echo "shujian eval $kind $*"
        echo '```'
        echo
    } >"$block"
    # Status 1 means a --require target was missed: that is a result, not a failure.
    "$BIN" eval "$kind" "$@" --format markdown >>"$block" 2>"$tmp/$name.err" || status=$?
    if [ "$status" -gt 1 ]; then
        cat "$tmp/$name.err" >&2
        echo "accuracy.sh: \`shujian eval $kind $*\` failed" >&2
        exit 1
    fi
    grep -h 'scored\|target missed' "$tmp/$name.err" | sed "s/^/[$name] /" >&2 || true
    if ! grep -q "^<!-- BEGIN $name -->\$" "$DOC" || ! grep -q "^<!-- END $name -->\$" "$DOC"; then
        echo "accuracy.sh: $DOC has no <!-- BEGIN $name --> / <!-- END $name --> markers" >&2
        exit 1
    fi
    awk -v name="$name" -v block="$block" '
        $0 == "<!-- BEGIN " name " -->" { print; while ((getline line < block) > 0) print line; skip = 1; next }
        $0 == "<!-- END " name " -->" { skip = 0 }
        !skip { print }
    ' "$DOC" >"$tmp/doc" && cp "$tmp/doc" "$DOC"
}

faker=$TEXT/faker-zh/dev.jsonl
section faker-dev --gold "$faker" \
    --require CN_RESIDENT_ID=0.99 --require PHONE=0.99 --require EMAIL=0.99 \
    --require BANK_CARD=0.99 --require IPV4=0.99 --require PERSON=0.90 --require ADDRESS=0.90
section faker-sweep --gold "$faker" --sweep

section cluener-train --gold "$TEXT/cluener2020/train.json" --labels PERSON,ADDRESS --sweep
section cluener-dev --gold "$TEXT/cluener2020/dev.json" --labels PERSON,ADDRESS --sweep
section weibo-train --gold "$TEXT/weibo_ner/weiboNER_2nd_conll.train" --labels PERSON --sweep
section weibo-dev --gold "$TEXT/weibo_ner/weiboNER_2nd_conll.dev" --labels PERSON --sweep
section weibo-test --gold "$TEXT/weibo_ner/weiboNER_2nd_conll.test" --labels PERSON --sweep
section pd-dev --gold "$TEXT/peoples_daily_ner/example.dev" --labels PERSON --sweep
section pd-test --gold "$TEXT/peoples_daily_ner/example.test" --labels PERSON --sweep

# Column labels on the dev application schemas (issue #4 targets: macro-F1 >= 0.85 over PI
# labels, PI-vs-none F1 >= 0.95, doubtful rows excluded).
schemas=$EVAL/schemas/dev
columns_args=()
for s in mall RuoYi litemall newbee-mall; do
    columns_args+=(--labels "$schemas/$s/labels.csv" --sqlite "$schemas/$s/$s.sqlite")
done
KIND=columns section columns-dev "${columns_args[@]}" --require macro=0.85 --require binary=0.95

# Provenance: which code produced the numbers.
commit=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
if [ -n "$(git status --porcelain -- crates rules src 2>/dev/null)" ]; then
    commit="$commit plus uncommitted changes"
fi
printf 'Measured %s at commit %s with `scripts/accuracy.sh`.\n' "$(date -u +%Y-%m-%d)" "$commit" \
    >"$tmp/provenance.md"
awk -v block="$tmp/provenance.md" '
    $0 == "<!-- BEGIN provenance -->" { print; while ((getline line < block) > 0) print line; skip = 1; next }
    $0 == "<!-- END provenance -->" { skip = 0 }
    !skip { print }
' "$DOC" >"$tmp/doc" && cp "$tmp/doc" "$DOC"
echo "accuracy.sh: updated $DOC" >&2
