# One image for every Chorus service. It holds the four service jars; the container's command picks one:
#   java -jar /app/storage.jar | /app/chat.jar | /app/llm.jar | /app/gateway.jar   (docker-compose.yml does this)
# Not built here (no Docker engine on our machines); docker-compose.yml is validated with `docker-compose config`.

# 1. Build: Maven on JDK 17. The gateway's build runs `npm ci` for the web page's vendor files, hence Node.
FROM maven:3.9-eclipse-temurin-17 AS build
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends nodejs npm \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY . .
RUN mvn -B -q -DskipTests package -pl storage-verticle,chat-verticle,llm-verticle,gateway-verticle -am \
 && mkdir /out \
 && for service in storage chat llm gateway; do \
      cp "$service-verticle/target/$service-verticle-"*-all.jar "/out/$service.jar"; \
    done

# 2. Runtime: JRE 17 only, as a non-root user.
FROM eclipse-temurin:17-jre
RUN groupadd --system chorus \
 && useradd --system --gid chorus --home-dir /app --no-create-home --shell /usr/sbin/nologin chorus \
 && mkdir -p /app /data/files \
 && chown chorus:chorus /data/files
COPY --from=build /out/ /app/
WORKDIR /app
USER chorus
# Read by the java launcher: heap as a share of the container's memory limit; die (and get restarted) on OOM;
# no full GC when class metadata first grows past the JVM's small default threshold (docs/benchmarks.md).
ENV JDK_JAVA_OPTIONS="-XX:MaxRAMPercentage=75 -XX:+ExitOnOutOfMemoryError -XX:MetaspaceSize=128m" \
    FILES_DIR=/data/files
# 8080: the gateway's HTTP port; 5701: Hazelcast (the event bus itself uses a random port).
EXPOSE 8080 5701
CMD ["java", "-jar", "/app/gateway.jar"]
