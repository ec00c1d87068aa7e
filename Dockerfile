# The image `runbook manifests serve` runs: runbook installed from its packed tarball, exactly as an
# on-call machine installs it (README, "Install"). No image is published: build and push your own.
#   npm ci && npm pack                                   # writes runbook-<version>.tgz here
#   docker build -t <registry>/runbook:<version> .
#   docker push <registry>/runbook:<version>
#   runbook manifests serve --image <registry>/runbook:<version> | kubectl apply -f -
# Keep one runbook-*.tgz in this folder: .dockerignore lets in nothing else.
FROM node:20-slim

COPY runbook-*.tgz /tmp/
RUN npm install --global --omit=dev --no-audit --no-fund /tmp/runbook-*.tgz \
    && rm /tmp/runbook-*.tgz \
    && npm cache clean --force

# node:20-slim's own non-root user, uid 1000: the Deployment's runAsUser names it by number.
USER node
WORKDIR /home/node
EXPOSE 9095
ENTRYPOINT ["runbook"]
CMD ["serve", "--listen", "0.0.0.0:9095"]
