# Sourced by every bin/ launcher: finds JDKs by their release file (no JVM is started to ask its version) and builds
# the classpath of the examples' jars. Defines functions only; xmasq_jdks also exports JAVA_HOME and XMASQ_JDK17.
xmasq_root=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)

# The feature version of the JDK or JRE at $1 (a home or its bin/java), from its release file; empty if none.
xmasq_feature() {
  local home=$1
  [ -d "$home" ] || home=$(dirname "$(dirname "$(readlink -f "$home")")")
  sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$home/release" 2>/dev/null
}

# xmasq_jdk MIN [MAX [javac]]: the home of a JDK whose feature version is MIN..MAX (default: MIN only), the highest
# first; $XMASQ_JDK<MIN> (e.g. XMASQ_JDK25) is tried before /usr/lib/jvm. With "javac" the JDK must be able to compile.
xmasq_jdk() {
  local min=$1 max=${2:-$1} need=${3:-} best= bestv=0 d v override
  override=XMASQ_JDK$min
  for d in ${!override:-} /usr/lib/jvm/*; do
    [ -x "$d/bin/java" ] || continue
    [ -z "$need" ] || [ -x "$d/bin/javac" ] || continue
    v=$(xmasq_feature "$d")
    [ -n "$v" ] && [ "$v" -ge "$min" ] && [ "$v" -le "$max" ] || continue
    if [ -n "${!override:-}" ] && [ "$d" = "${!override}" ]; then echo "$d"; return 0; fi
    if [ "$v" -gt "$bestv" ]; then best=$d; bestv=$v; fi
  done
  [ -n "$best" ] && echo "$best"
}

# JDK 25 (Maven, FFM backend) and JDK 17 (JNA backend test run): exports JAVA_HOME (the JDK 25), XMASQ_JDK17 and PATH,
# or fails saying what to install.
xmasq_jdks() {
  XMASQ_JDK25=$(xmasq_jdk 25 25 javac || true)
  if [ -z "$XMASQ_JDK25" ]; then
    echo "No JDK 25 under /usr/lib/jvm. Install Temurin 25 (https://adoptium.net/installation/linux: apt-get install" \
         "temurin-25-jdk from the Adoptium repository) or set XMASQ_JDK25=/path/to/jdk-25." >&2
    return 1
  fi
  XMASQ_JDK17=$(xmasq_jdk 17 17 javac || true)
  if [ -z "$XMASQ_JDK17" ]; then
    echo "No JDK 17 under /usr/lib/jvm (apt-get install openjdk-17-jdk-headless, or set XMASQ_JDK17)." >&2
    return 1
  fi
  export JAVA_HOME=$XMASQ_JDK25 XMASQ_JDK17 XMASQ_JDK25
  export PATH="$JAVA_HOME/bin:$PATH"
}

# The built examples jar (not the tests jar), or nothing.
xmasq_examples_jar() {
  ls "$xmasq_root"/examples/target/xmasq-examples-*.jar 2>/dev/null | grep -v -- '-tests.jar' | head -1 || true
}

# xmasq_classpath [plugin [jna]]: the examples jar and every dependency; "plugin": only the jars the CNI plugin
# loads (the SDK's three, SLF4J, and JNA with "jna"), found by name so that no version is written here.
xmasq_classpath() {
  local jar lib cp j
  jar=$(xmasq_examples_jar)
  lib=$xmasq_root/examples/target/lib
  [ -n "$jar" ] && [ -d "$lib" ] || return 1
  if [ "${1:-}" != plugin ]; then
    echo "$jar:$lib/*"
    return 0
  fi
  cp=$jar
  for j in xmasq-api xmasq-native xmasq-bpf slf4j-api slf4j-simple ${2:+jna}; do
    cp="$cp:$(ls "$lib/$j"-[0-9]*.jar 2>/dev/null | head -1)"
  done
  echo "$cp"
}
