# Image ordo/gateway: the Spring Cloud Gateway jar. From the repository root, after
# ./mvnw -DskipTests package:
#
#   docker build -f deploy/docker/gateway.Dockerfile -t ordo/gateway:0.1.0 .
#
# gateway.Dockerfile.dockerignore beside this file sends Docker the jar alone.
FROM eclipse-temurin:21-jre

# A numeric, non-root user, so that Kubernetes' runAsNonRoot can check it.
RUN groupadd --system --gid 10001 ordo \
 && useradd --system --uid 10001 --gid ordo --home-dir /app --no-create-home ordo

WORKDIR /app
COPY gateway/target/ordo-gateway.jar /app/ordo-gateway.jar
USER 10001:10001

EXPOSE 8080

ENTRYPOINT ["java", "-jar", "/app/ordo-gateway.jar"]
