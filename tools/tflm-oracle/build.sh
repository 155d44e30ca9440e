#!/usr/bin/env bash
# Builds the TFLM oracle: TensorFlow Lite Micro's reference kernels for the host plus
# tools/tflm-oracle/runner.cc, as OUT_DIR/tflm-run. Not part of tinygen, never run in CI;
# see README.md beside this file.
#
#   tools/tflm-oracle/build.sh [options] [OUT_DIR]
#
# OUT_DIR defaults to ${XDG_CACHE_HOME:-~/.cache}/tflm-oracle. Sources are taken with
# `git archive` from git directories (bare or not) at pinned commits into OUT_DIR/src; objects
# go to OUT_DIR/build and are reused, so a second run only relinks what changed (usually
# nothing). Options (each also settable by the environment variable named after it):
#   --tflm-git DIR          TFLM_GIT        tflite-micro git dir
#   --tflm-rev REV          TFLM_REV        default 90b983c2b
#   --gemmlowp-git DIR      GEMMLOWP_GIT    gemmlowp git dir
#   --gemmlowp-rev REV      GEMMLOWP_REV    default 719139ce755a0f31cbf1c37f7f98adcc7fc9f425
#   --flatbuffers-git DIR   FLATBUFFERS_GIT flatbuffers git dir
#   --flatbuffers-rev REV   FLATBUFFERS_REV default v25.9.23
#   -j N                    JOBS            parallel compile jobs, default nproc
#   CXX (environment only) compiler, default g++. Extra flags: ORACLE_EXTRA_CXXFLAGS.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
MIRROR="${MIRROR_ROOT:-/work/.mirror}"

TFLM_GIT="${TFLM_GIT:-$MIRROR/tensorflow+tflite-micro/repo}"
TFLM_REV="${TFLM_REV:-90b983c2b}"
GEMMLOWP_GIT="${GEMMLOWP_GIT:-$MIRROR/google+gemmlowp/repo}"
GEMMLOWP_REV="${GEMMLOWP_REV:-719139ce755a0f31cbf1c37f7f98adcc7fc9f425}"
FLATBUFFERS_GIT="${FLATBUFFERS_GIT:-$MIRROR/google+flatbuffers/repo}"
FLATBUFFERS_REV="${FLATBUFFERS_REV:-v25.9.23}"
JOBS="${JOBS:-$(nproc 2>/dev/null || echo 2)}"
CXX="${CXX:-g++}"
OUT_DIR=""

die() { echo "build.sh: $*" >&2; exit 1; }
usage() { sed -n '2,19p' "$0" | sed 's/^# \{0,1\}//'; exit "${1:-0}"; }

while [ $# -gt 0 ]; do
  case "$1" in
    --tflm-git) TFLM_GIT="$2"; shift 2 ;;
    --tflm-rev) TFLM_REV="$2"; shift 2 ;;
    --gemmlowp-git) GEMMLOWP_GIT="$2"; shift 2 ;;
    --gemmlowp-rev) GEMMLOWP_REV="$2"; shift 2 ;;
    --flatbuffers-git) FLATBUFFERS_GIT="$2"; shift 2 ;;
    --flatbuffers-rev) FLATBUFFERS_REV="$2"; shift 2 ;;
    -j) JOBS="$2"; shift 2 ;;
    -j*) JOBS="${1#-j}"; shift ;;
    -h|--help) usage 0 ;;
    -*) echo "build.sh: unknown option $1" >&2; usage 2 ;;
    *) [ -z "$OUT_DIR" ] || die "more than one OUT_DIR"; OUT_DIR="$1"; shift ;;
  esac
done
OUT_DIR="${OUT_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/tflm-oracle}"
mkdir -p "$OUT_DIR"
OUT_DIR="$(cd "$OUT_DIR" && pwd)"
case "$OUT_DIR" in *[[:space:]]*) die "OUT_DIR must not contain whitespace (make): $OUT_DIR" ;; esac
SRC="$OUT_DIR/src"
BUILD="$OUT_DIR/build"
mkdir -p "$SRC" "$BUILD"

command -v "$CXX" >/dev/null || die "no C++ compiler '$CXX'"
command -v make >/dev/null || die "make is needed"
command -v patch >/dev/null || die "patch is needed"

# resolve GIT_DIR REV -> full commit hash
resolve() {
  git --git-dir="$1" rev-parse --verify --quiet "$2^{commit}" 2>/dev/null ||
    die "cannot resolve '$2' in git dir '$1' (set the matching --*-git/--*-rev)"
}
gitdir() {
  # accept a bare repo or a work tree
  if [ -d "$1/.git" ]; then echo "$1/.git"; else echo "$1"; fi
}
TFLM_GIT="$(gitdir "$TFLM_GIT")"
GEMMLOWP_GIT="$(gitdir "$GEMMLOWP_GIT")"
FLATBUFFERS_GIT="$(gitdir "$FLATBUFFERS_GIT")"
TFLM_SHA="$(resolve "$TFLM_GIT" "$TFLM_REV")"
GEMMLOWP_SHA="$(resolve "$GEMMLOWP_GIT" "$GEMMLOWP_REV")"
FLATBUFFERS_SHA="$(resolve "$FLATBUFFERS_GIT" "$FLATBUFFERS_REV")"

# extract NAME GIT_DIR SHA KEY [PATHS...]: OUT_DIR/src/NAME holds exactly that tree. Redone only
# when the stamp (commit + paths + KEY for any post-processing) changes, so file times stay put
# and make sees nothing new. Sets FRESH=1 when it extracted; the caller then post-processes and
# calls commit_stamp NAME.
extract() {
  local name="$1" gd="$2" sha="$3" key="$4"; shift 4
  local dest="$SRC/$name" stamp="$SRC/$name.stamp"
  local want="$sha $key $*"
  FRESH=0
  if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ] && [ -d "$dest" ]; then return 0; fi
  echo "build.sh: extracting $name @ $sha" >&2
  rm -rf "$dest" "$stamp" "$dest.tmp"
  mkdir -p "$dest.tmp"
  git --git-dir="$gd" archive --format=tar "$sha" "$@" | tar -x -C "$dest.tmp" ||
    die "git archive of $name failed"
  mv "$dest.tmp" "$dest"
  printf '%s\n' "$want" > "$stamp.pending"
  FRESH=1
}
commit_stamp() { mv "$SRC/$1.stamp.pending" "$SRC/$1.stamp"; }

# TFLM: the whole tree at the commit (tensorflow/, signal/, third_party/ ...).
extract tflite-micro "$TFLM_GIT" "$TFLM_SHA" ""
[ "$FRESH" = 0 ] || commit_stamp tflite-micro

# gemmlowp: only the fixed-point headers TFLM's Makefile lists (and their directory mates).
extract gemmlowp "$GEMMLOWP_GIT" "$GEMMLOWP_SHA" "" fixedpoint internal LICENSE
[ "$FRESH" = 0 ] || commit_stamp gemmlowp

# flatbuffers: headers only, with TFLM's patch (as flatbuffers_download.sh applies it).
FB_PATCH="$SRC/tflite-micro/tensorflow/lite/micro/tools/make/flatbuffers.patch"
[ -f "$FB_PATCH" ] || die "TFLM tree has no flatbuffers.patch at $FB_PATCH"
FB_PATCH_SUM="$(sha256sum "$FB_PATCH" | cut -c1-16)"
extract flatbuffers "$FLATBUFFERS_GIT" "$FLATBUFFERS_SHA" "patch:$FB_PATCH_SUM" include LICENSE
if [ "$FRESH" = 1 ]; then
  (cd "$SRC/flatbuffers" && patch -p1 --quiet --forward --no-backup-if-mismatch < "$FB_PATCH") ||
    { rm -rf "$SRC/flatbuffers"; die "TFLM's flatbuffers.patch does not apply to $FLATBUFFERS_REV"; }
  commit_stamp flatbuffers
fi

# ruy: TFLM includes ruy/profiler/instrumentation.h only for ScopeLabel, which ruy itself
# compiles to nothing unless RUY_PROFILER is defined. A no-op stub instead of downloading ruy.
RUY_STUB="$SRC/ruy-stub/ruy/profiler/instrumentation.h"
RUY_STUB_TEXT='// No-op stand-in for ruy/profiler/instrumentation.h (as ruy without RUY_PROFILER).
#ifndef RUY_RUY_PROFILER_INSTRUMENTATION_H_
#define RUY_RUY_PROFILER_INSTRUMENTATION_H_
namespace ruy {
namespace profiler {
class ScopeLabel {
 public:
  template <typename... Args>
  explicit ScopeLabel(Args...) {}
};
}  // namespace profiler
}  // namespace ruy
#endif  // RUY_RUY_PROFILER_INSTRUMENTATION_H_'
write_if_changed() {  # FILE TEXT
  mkdir -p "$(dirname "$1")"
  if [ ! -f "$1" ] || [ "$(cat "$1")" != "$2" ]; then printf '%s\n' "$2" > "$1"; fi
}
write_if_changed "$RUY_STUB" "$RUY_STUB_TEXT"

# ---- sources, as TFLM's tensorflow/lite/micro/tools/make/{Makefile,sources.inc} pick them for
# a host (TARGET=linux) build with the reference kernels (no OPTIMIZED_KERNEL_DIR).
T="$SRC/tflite-micro"
cd "$T"
SOURCES_INC=tensorflow/lite/micro/tools/make/sources.inc
[ -f "$SOURCES_INC" ] || die "no $SOURCES_INC in the TFLM tree"
{
  # MICROLITE_CC_BASE_SRCS: micro/*.cc, arena_allocator, memory_planner, tflite_bridge ...
  for d in tensorflow/lite/micro tensorflow/lite/micro/arena_allocator \
           tensorflow/lite/micro/memory_planner tensorflow/lite/micro/tflite_bridge; do
    find "$d" -maxdepth 1 -name '*.cc'
  done
  # ... and TFL_CC_SRCS: every .cc/.c under tensorflow/ outside lite/micro and
  # lite/experimental, less lite/array.cc (excluded under TF_LITE_STATIC_MEMORY).
  find tensorflow -type d \( -path tensorflow/lite/experimental -o -path tensorflow/lite/micro \) \
    -prune -false -o \( -name '*.cc' -o -name '*.c' \) | grep -vx 'tensorflow/lite/array.cc'
  # MICROLITE_CC_KERNEL_SRCS: the explicit reference-kernel list in sources.inc.
  awk '/^MICROLITE_CC_KERNEL_SRCS :=/{on=1; next} on && /^[[:space:]]*$/{on=0} on' "$SOURCES_INC" |
    sed -e 's/\$(TENSORFLOW_ROOT)//' -e 's/[[:space:]]*\\[[:space:]]*$//' -e 's/^[[:space:]]*//' |
    grep -v '^$'
} | grep -v '_test\.cc$' | grep -v '/benchmarks/' |
  # the host's DebugLog() comes from runner.cc (TFLM's per-platform debug_log.cc
  # mechanism), so that each log message reaches stderr as one line
  grep -vx 'tensorflow/lite/micro/debug_log.cc' | LC_ALL=C sort -u > "$BUILD/sources.list.new"
# Left out on purpose: signal/ (custom Signal* ops; needs kissfft), and every optimized-kernel
# or platform directory (cmsis_nn, xtensa, arc_mli, ceva, cortex_m_*, ...).
NK=$(grep -c '^tensorflow/lite/micro/kernels/' "$BUILD/sources.list.new" || true)
[ "$NK" -gt 50 ] || die "found only $NK kernel sources in $SOURCES_INC; has its format changed?"
while read -r f; do [ -f "$f" ] || die "listed source $f does not exist"; done < "$BUILD/sources.list.new"
if ! cmp -s "$BUILD/sources.list.new" "$BUILD/sources.list"; then
  mv "$BUILD/sources.list.new" "$BUILD/sources.list"
else
  rm -f "$BUILD/sources.list.new"
fi

# ---- flags: those of TFLM's Makefile for a host build (BUILD_TYPE=default, so no NDEBUG and
# TFLITE_DCHECKs stay on), with -O2 for all of it (TFLM uses -Os for the core, -O2 for kernels;
# neither changes integer results). -ffp-contract=off keeps float code from fusing into FMA
# should ORACLE_EXTRA_CXXFLAGS add -march=...; plain x86-64 has no FMA anyway.
# -fmacro-prefix-map makes __FILE__ in TFLM's log messages repo-relative (as in TFLM's own
# build, "tensorflow/lite/micro/kernels/x.cc:123 ..."), whatever OUT_DIR is.
CXXFLAGS="-std=c++17 -O2 -fno-rtti -fno-exceptions -fno-threadsafe-statics \
-fno-unwind-tables -fno-asynchronous-unwind-tables -ffunction-sections -fdata-sections \
-fmessage-length=0 -ffp-contract=off \
-DTF_LITE_STATIC_MEMORY -DTF_LITE_DISABLE_X86_NEON -DTF_LITE_USE_CTIME ${ORACLE_EXTRA_CXXFLAGS:-}"
PREFIX_MAP="-fmacro-prefix-map=$T/="
CFLAGS="-std=c17 -O2 -fno-unwind-tables -fno-asynchronous-unwind-tables -ffunction-sections \
-fdata-sections -fmessage-length=0 -ffp-contract=off \
-DTF_LITE_STATIC_MEMORY -DTF_LITE_DISABLE_X86_NEON -DTF_LITE_USE_CTIME"
INCLUDES="-I$T -I$SRC/gemmlowp -I$SRC/flatbuffers/include -I$SRC/ruy-stub"
LDFLAGS="-Wl,--gc-sections"

write_if_changed "$BUILD/flags.txt" "CXX=$CXX
CXXFLAGS=$CXXFLAGS $PREFIX_MAP
CFLAGS=$CFLAGS $PREFIX_MAP
INCLUDES=$INCLUDES
LDFLAGS=$LDFLAGS"

write_if_changed "$BUILD/oracle_version.h" "#define TFLM_ORACLE_TFLM_COMMIT \"$TFLM_SHA\"
#define TFLM_ORACLE_GEMMLOWP_COMMIT \"$GEMMLOWP_SHA\"
#define TFLM_ORACLE_FLATBUFFERS_COMMIT \"$FLATBUFFERS_SHA\"
#define TFLM_ORACLE_FLATBUFFERS_REF \"$FLATBUFFERS_REV\"
#define TFLM_ORACLE_FLATBUFFERS_PATCH_SHA256_16 \"$FB_PATCH_SUM\"
#define TFLM_ORACLE_CXXFLAGS \"$(echo $CXXFLAGS)\""

# runner.cc is copied so that the build does not depend on where the repo lives.
cp -p "$HERE/runner.cc" "$BUILD/runner.cc.new"
if cmp -s "$BUILD/runner.cc.new" "$BUILD/runner.cc"; then rm "$BUILD/runner.cc.new"; else mv "$BUILD/runner.cc.new" "$BUILD/runner.cc"; fi

write_if_changed "$BUILD/Makefile" "# Generated by tools/tflm-oracle/build.sh; rerun that instead of editing.
T := $T
CXX := $CXX
CC := ${CC:-gcc}
CXXFLAGS := $CXXFLAGS $PREFIX_MAP
CFLAGS := $CFLAGS $PREFIX_MAP
INCLUDES := $INCLUDES
LDFLAGS := $LDFLAGS
SRCS := \$(shell cat sources.list)
OBJS := \$(patsubst %,obj/%.o,\$(SRCS))

all: $OUT_DIR/tflm-run

obj/%.cc.o: \$(T)/%.cc flags.txt
	@mkdir -p \$(dir \$@)
	\$(CXX) \$(CXXFLAGS) \$(INCLUDES) -MMD -MP -c \$< -o \$@

obj/%.c.o: \$(T)/%.c flags.txt
	@mkdir -p \$(dir \$@)
	\$(CC) \$(CFLAGS) \$(INCLUDES) -MMD -MP -c \$< -o \$@

libtflm.a: \$(OBJS) sources.list
	rm -f \$@
	ar rcs \$@ \$(OBJS)

obj/runner.o: runner.cc oracle_version.h flags.txt
	@mkdir -p obj
	\$(CXX) \$(CXXFLAGS) \$(INCLUDES) -I. -MMD -MP -c runner.cc -o \$@

$OUT_DIR/tflm-run: obj/runner.o libtflm.a
	\$(CXX) \$(LDFLAGS) obj/runner.o libtflm.a -lm -o \$@.tmp
	mv \$@.tmp \$@

-include \$(OBJS:.o=.d) obj/runner.d
.PHONY: all
"

echo "build.sh: compiling $(wc -l < "$BUILD/sources.list") TFLM sources + runner with $JOBS jobs" >&2
make -C "$BUILD" -j"$JOBS" --no-print-directory -s all >&2 || die "compile failed"
"$OUT_DIR/tflm-run" --version >/dev/null || die "built tflm-run does not run"
echo "$OUT_DIR/tflm-run"
