# The casascan container image, built by goreleaser (dockers_v2 in
# .goreleaser.yaml) from the release binaries: no build stage, no shell, no
# package manager. distroless/static has CA certificates (live scans call
# Google APIs over TLS) and runs as the unprivileged user nonroot (65532).
#
#   docker run --rm -v "$PWD:/src" -w /src ghcr.io/casascan/casascan:VERSION scan .
FROM gcr.io/distroless/static-debian12:nonroot
ARG TARGETPLATFORM
COPY $TARGETPLATFORM/casascan /usr/bin/casascan
# Numeric, so Kubernetes' runAsNonRoot can verify it.
USER 65532:65532
ENTRYPOINT ["casascan"]
