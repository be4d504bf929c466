# syntax=docker/dockerfile:1
# The ml-api service image: the release binary, with the model of this
# commit's regression-model embedded, on a slim Debian, as a non-root user.
#   docker build -t ml-api:$(git rev-parse --short HEAD) .
#   docker run -p 5000:5000 ml-api:<tag>
# No container engine runs on the development machines: this file is reviewed
# there and built by CI (see docs/release.md).

# Builder and runtime are the same Debian release, so the binary's glibc
# symbols exist in the runtime image (a trixie-built binary can need symbols
# that bookworm's glibc lacks).
ARG RUST_VERSION=1.95
ARG DEBIAN_RELEASE=trixie

FROM rust:${RUST_VERSION}-${DEBIAN_RELEASE} AS builder
WORKDIR /src
COPY . .
# The cache mounts keep the crates.io downloads and the build between builds
# on the same engine; the binary is copied out because the mount is not part
# of the image.
RUN --mount=type=cache,target=/usr/local/cargo/registry \
    --mount=type=cache,target=/src/target \
    cargo build --release --locked -p ml-api \
    && install -D -m 0755 target/release/ml-api /out/ml-api

FROM debian:${DEBIAN_RELEASE}-slim AS runtime
RUN groupadd --system --gid 10001 ml-api \
    && useradd --system --uid 10001 --gid ml-api --no-create-home --shell /usr/sbin/nologin ml-api \
    && install -d -o ml-api -g ml-api -m 0755 /var/log/ml-api
COPY --from=builder /out/ml-api /usr/local/bin/ml-api
# The binary reads these (see ml-api/src/configuration.rs); PORT may be
# overridden at run time, and the health check follows it.
ENV APP_ENVIRONMENT=production \
    HOST=0.0.0.0 \
    PORT=5000 \
    LOG_DIR=/var/log/ml-api
USER 10001:10001
EXPOSE 5000
# No curl in the slim image: bash's /dev/tcp sends one HTTP/1.0 request and the
# status line must say 200.
HEALTHCHECK --interval=30s --timeout=3s --start-period=10s --retries=3 \
    CMD ["bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/${PORT} && printf 'GET /health HTTP/1.0\\r\\nHost: localhost\\r\\n\\r\\n' >&3 && head -n 1 <&3 | grep -q ' 200 '"]
# The same binary, with no flags, that the API tests start.
ENTRYPOINT ["/usr/local/bin/ml-api"]
