#!/usr/bin/env bash
# Reruns every benchmark and prints the tables that benchmarks/RESULTS.md reports:
#   ./benchmarks/run.sh
# Throughput (9 contenders x 5 interleaved rounds, each in its own JVM), JMH micro benchmarks of the
# SSE parser and chunk decoder (in dedalus-client's tests, beside the package-private classes they
# measure), 500 / 2,000 concurrent slow streams through the client and through each relay (each
# relay alone in its own JVM), Spring MVC on Jetty beside Tomcat and WebFlux, the same in the steady
# state of a server (compilers settled, heap sized up front), and 300 browsers on a freshly started
# application. About 50 minutes on 2 cores.
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -B -q -pl benchmarks -am install -DskipTests
./mvnw -B -q -pl benchmarks dependency:build-classpath -Dmdep.outputFile=target/classpath.txt
CP="benchmarks/target/classes:$(cat benchmarks/target/classpath.txt)"
echo "## Throughput"
java -cp "$CP" ai.dedaluslabs.bench.ThroughputBenchmark 5 2>&1 | grep -v SLF4J
echo "## JMH"
# The JMH benchmark of the package-private decoder lives with the client's tests.
./mvnw -B -q -pl dedalus-client test-compile dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/test-classpath.txt
JMH_CP="dedalus-client/target/test-classes:dedalus-client/target/classes:$(cat dedalus-client/target/test-classpath.txt)"
java -cp "$JMH_CP" org.openjdk.jmh.Main -f 1 -wi 3 -i 5 -w 1s -r 1s SseParserBenchmark 2>&1 | sed -n '/^Benchmark /,$p'
echo "## Concurrency"
java -cp "$CP" ai.dedaluslabs.bench.ConcurrencyBenchmark 500 2000 2>&1 | grep -E '^\|'
echo "## Spring MVC on Jetty, beside Tomcat and WebFlux (three runs, all streams of a mode at once)"
# Both containers set up as docs/spring-mvc-at-scale.md recommends: four request threads, Jetty's
# header cache off and an 8 KiB response buffer (JettyTuning), Tomcat's socket buffers at 1 KiB and
# its response header buffer at 2 KB.
java -cp "$CP" -Dbench.together=true -Dbench.chunks.spread=20 -Dbench.headers.first=true -Dbench.runs=3 \
  -Dbench.tomcat.threads=4 -Dbench.tomcat.socket.buffers=1024 \
  "-Dbench.app.args=--server.jetty.threads.min=4 --server.tomcat.max-http-response-header-size=2KB" \
  ai.dedaluslabs.bench.ConcurrencyBenchmark 2000 relay forwarded-jetty forwarded-webflux proxy-jetty proxy-webflux \
  forwarded proxy 2>&1 | grep -E '^\|'
echo "## The steady state: WebFlux beside the minimal relay (ten rounds of warm-up streams, heap sized up front)"
java -cp "$CP" -Dbench.together=true -Dbench.chunks.spread=20 -Dbench.headers.first=true \
  -Dbench.warmup.rounds=10 -Dbench.warmup.streams=1000 "-Dbench.app.jvm=-Xmx1g -Xms1g" \
  ai.dedaluslabs.bench.ConcurrencyBenchmark 1000 relay relay-checked forwarded-webflux proxy-webflux 2>&1 | grep -E '^\|'
echo "## The steady state: Spring MVC on Jetty beside WebFlux"
java -cp "$CP" -Dbench.together=true -Dbench.chunks.spread=20 -Dbench.headers.first=true \
  -Dbench.warmup.rounds=10 -Dbench.warmup.streams=2000 "-Dbench.app.jvm=-Xmx1g -Xms1g" \
  -Dbench.tomcat.threads=4 "-Dbench.app.args=--server.jetty.threads.min=4" \
  ai.dedaluslabs.bench.ConcurrencyBenchmark 2000 forwarded-jetty forwarded-webflux proxy-jetty proxy-webflux 2>&1 | grep -E '^\|'
echo "## Cold start"
java -cp "$CP" ai.dedaluslabs.bench.ColdStartBenchmark 300 2>&1 | grep -E '^\|'
