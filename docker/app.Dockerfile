# One image recipe for every Beacon app (registry, sample payment, sample order).
#
# Built from the repository root as context, after `./mvnw -B -q package -DskipTests`:
#   docker build -f docker/app.Dockerfile \
#     --build-arg JAR=registry-server/target/registry-server-exec.jar --build-arg APP_PORT=8700 .
#
# BASE_IMAGE is any image with a Java 17 runtime, bash, coreutils and useradd on the PATH: the
# official temurin JRE by default, or the local Debian one docker/build-base-image.sh makes where
# no image registry can be reached (--build-arg BASE_IMAGE=beacon/jre17-base:local).
ARG BASE_IMAGE=eclipse-temurin:17-jre
FROM ${BASE_IMAGE}

# path of the Spring Boot executable jar, relative to the build context (the repository root)
ARG JAR
# the app's default port; SERVER_PORT in the environment moves it, and the health probe follows
ARG APP_PORT=8080

RUN test -n "${JAR}" || { echo "build argument JAR is required" >&2; exit 1; } \
 && groupadd --system --gid 10001 beacon \
 && useradd --system --uid 10001 --gid beacon --home-dir /app --no-create-home \
      --shell /usr/sbin/nologin beacon \
 && mkdir -p /app \
 && chown beacon:beacon /app

COPY docker/healthcheck.sh /app/healthcheck.sh
COPY docker/cds-archive.sh /app/cds-archive.sh
COPY ${JAR} /tmp/app.jar

# Class data sharing (docker/cds-archive.sh): the jar extracted to /app/cds, and the classes a training
# run loads (the app's beans created with its default settings, then exit) archived in /app/cds/app.jsa,
# which the JVM maps at start instead of loading and verifying those classes again. Made here, by the
# JVM that runs the app; owned by root, read-only to the app.
RUN bash /app/cds-archive.sh /tmp/app.jar /app/cds \
 && rm /tmp/app.jar

ENV SERVER_PORT=${APP_PORT}
EXPOSE ${APP_PORT}
WORKDIR /app
USER beacon:beacon

HEALTHCHECK --interval=5s --timeout=6s --start-period=60s --retries=3 CMD ["bash", "/app/healthcheck.sh"]
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=75", "-XX:SharedArchiveFile=/app/cds/app.jsa", "-jar", "/app/cds/app.jar"]
