# syntax=docker/dockerfile:1
# The gateway image: built from source in a Maven stage, run as an unprivileged user on a JRE.
# Not built on the development machines (no Docker engine there); see docs/DEPLOY.md.

# --- build ------------------------------------------------------------------------------------
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
# Dependencies first, so a source change does not download the world again.
COPY pom.xml ./
COPY session-store/pom.xml session-store/
COPY ussd-engine/pom.xml ussd-engine/
COPY menus/pom.xml menus/
COPY ledger/pom.xml ledger/
COPY payments-bridge/pom.xml payments-bridge/
COPY smpp-connector/pom.xml smpp-connector/
COPY gateway/pom.xml gateway/
COPY bench/pom.xml bench/
RUN --mount=type=cache,target=/root/.m2 mvn -B -q -pl gateway -am dependency:go-offline -DskipTests || true
COPY . .
# CI=true: check formatting instead of rewriting; tests run in CI, not in the image build.
RUN --mount=type=cache,target=/root/.m2 CI=true mvn -B -q -pl gateway -am package -DskipTests \
 && cp gateway/target/gateway.jar /gateway.jar

# --- run --------------------------------------------------------------------------------------
FROM eclipse-temurin:17-jre AS run
# A fixed, unprivileged uid/gid so Kubernetes' runAsNonRoot can verify it without a name lookup.
RUN groupadd --system --gid 10001 gateway \
 && useradd --system --uid 10001 --gid gateway --home-dir /opt/gateway --shell /usr/sbin/nologin gateway \
 && mkdir -p /opt/gateway /etc/gateway \
 && chown -R gateway:gateway /opt/gateway
COPY --from=build --chown=root:root --chmod=0444 /gateway.jar /opt/gateway/gateway.jar
COPY --chown=root:root --chmod=0444 deploy/compose/gateway.yaml /etc/gateway/gateway.yaml
WORKDIR /opt/gateway
USER 10001:10001
EXPOSE 8080
# Bounded heap inside the container's memory limit; JSON logs on stdout.
ENV JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=75 -XX:+ExitOnOutOfMemoryError" \
    GATEWAY_LOG_LEVEL=INFO
# bash's /dev/tcp: no curl or wget needed in the image.
HEALTHCHECK --interval=10s --timeout=3s --start-period=60s --retries=3 \
  CMD ["bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/8080 && printf 'GET /health/live HTTP/1.0\\r\\n\\r\\n' >&3 && head -1 <&3 | grep -q ' 200 '"]
ENTRYPOINT ["java", "-jar", "/opt/gateway/gateway.jar"]
CMD ["run", "--config", "/etc/gateway/gateway.yaml"]
