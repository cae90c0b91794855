# Image ordo/app: the one application jar, every role in it (SPRING_PROFILES_ACTIVE picks one).
# From the repository root, after ./mvnw -DskipTests package:
#
#   docker build -f deploy/docker/app.Dockerfile -t ordo/app:0.1.0 .
#
# app.Dockerfile.dockerignore beside this file sends Docker the jar alone, not the whole tree.
FROM eclipse-temurin:21-jre

# A numeric, non-root user, so that Kubernetes' runAsNonRoot can check it.
RUN groupadd --system --gid 10001 ordo \
 && useradd --system --uid 10001 --gid ordo --home-dir /app --no-create-home ordo \
 && mkdir -p /app/data \
 && chown ordo:ordo /app/data

WORKDIR /app
COPY app/target/ordo-app.jar /app/ordo-app.jar
USER 10001:10001

# 8080 all-in-one (the default: embedded PostgreSQL under /app/data, mount a volume there);
# the roles: 8081 order, 8082 dispatch, 8083 delivery, 8084 read model (consumer, api, full),
# 8085 catalog.
EXPOSE 8080 8081 8082 8083 8084 8085

# JVM flags for a 1 GiB container with the embedded PostgreSQL beside the JVM: a fixed heap (a
# percentage of the limit would not leave PostgreSQL its share), metaspace and code cache capped,
# Serial GC (what the JVM picks itself with less than 1.75 GiB, and on two cores more requests/s
# than G1 in the benchmark), exit on an OutOfMemoryError so that the container restarts. The app and its PostgreSQL peak near 650 MiB under load (bench: rss_load_mib,
# which starts the jar with these very flags). Set JAVA_TOOL_OPTIONS to replace them; the
# Kubernetes manifests do (deploy/k8s: PostgreSQL runs outside, the heap is a share of the limit).
ENV JAVA_TOOL_OPTIONS="-Xmx384m -XX:MaxMetaspaceSize=256m -XX:ReservedCodeCacheSize=128m -XX:+UseSerialGC -XX:+ExitOnOutOfMemoryError"

ENTRYPOINT ["java", "-jar", "/app/ordo-app.jar"]
