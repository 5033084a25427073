# crossdock as a container image, for CI systems and Kubernetes Jobs:
#   docker run --rm -v "$PWD:/work" ghcr.io/OWNER/crossdock scan .
# .github/workflows/release.yml builds it for linux/amd64 and linux/arm64 and pushes it to GHCR;
# test/package/dockerfile.test.ts parses it (no Docker engine on the project's machines).

# Node 20 on Debian slim, pinned by digest (a multi-platform index): a rebuild gets the same base.
ARG NODE_IMAGE=docker.io/library/node:20-bookworm-slim@sha256:2cf067cfed83d5ea958367df9f966191a942351a2df77d6f0193e162b5febfc0

# Stage 1: the tarball, exactly as `npm pack` makes it (prepack builds: tsc, then esbuild).
FROM ${NODE_IMAGE} AS pack
WORKDIR /src
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY . .
RUN npm pack --pack-destination /pack && mv /pack/crossdock-*.tgz /pack/crossdock.tgz

# Stage 2: only that tarball installed (it carries its dependencies, so no registry is asked).
FROM ${NODE_IMAGE}
ARG SOURCE=""
LABEL org.opencontainers.image.title="crossdock" \
      org.opencontainers.image.description="Move a project's container images between OCI registries, byte for byte, and rewrite every reference to them." \
      org.opencontainers.image.licenses="Apache-2.0" \
      org.opencontainers.image.source="${SOURCE}"
COPY --from=pack /pack/crossdock.tgz /tmp/crossdock.tgz
RUN npm install -g --offline --no-audit --no-fund /tmp/crossdock.tgz \
 && rm /tmp/crossdock.tgz && npm cache clean --force
# The node image's unprivileged user (uid 1000); /work is where a repository is mounted.
USER node
WORKDIR /work
ENTRYPOINT ["crossdock"]
CMD ["--help"]
