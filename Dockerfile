# Build: docker build -t lmbridge .   Run: docker run -p 8080:8080 -e OPENAI_API_KEY=... lmbridge
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY pom.xml .
RUN mvn -B -q dependency:go-offline
COPY src src
RUN mvn -B -q package -DskipTests

FROM eclipse-temurin:17-jre
WORKDIR /app
COPY --from=build /src/target/lmbridge.jar /app/lmbridge.jar
COPY conf/gateway.json /app/conf/gateway.json
ENV GATEWAY_HOST=0.0.0.0
EXPOSE 8080
ENTRYPOINT ["java", "-jar", "/app/lmbridge.jar"]
