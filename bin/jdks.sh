# Sourced by the bin/ scripts: finds JDK 25 (Maven, FFM backend) and JDK 17 (JNA backend test run) and exports
# JAVA_HOME (the JDK 25) and XMASQ_JDK17. Override with XMASQ_JDK25 / XMASQ_JDK17.
find_jdk() { # $1 = feature version
  local d
  for d in /usr/lib/jvm/*; do
    [ -x "$d/bin/javac" ] || continue
    if "$d/bin/java" -version 2>&1 | head -1 | grep -Eq "version \"$1[.\"]"; then echo "$d"; return 0; fi
  done
  return 1
}
XMASQ_JDK25=${XMASQ_JDK25:-$(find_jdk 25 || true)}
if [ -z "$XMASQ_JDK25" ]; then
  echo "No JDK 25 under /usr/lib/jvm. Install Temurin 25 (https://adoptium.net/installation/linux: apt-get install" \
       "temurin-25-jdk from the Adoptium repository) or set XMASQ_JDK25=/path/to/jdk-25." >&2
  exit 1
fi
XMASQ_JDK17=${XMASQ_JDK17:-$(find_jdk 17 || true)}
if [ -z "$XMASQ_JDK17" ]; then
  echo "No JDK 17 under /usr/lib/jvm (apt-get install openjdk-17-jdk-headless, or set XMASQ_JDK17)." >&2
  exit 1
fi
export JAVA_HOME=$XMASQ_JDK25 XMASQ_JDK17
export PATH="$JAVA_HOME/bin:$PATH"
