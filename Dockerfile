# cdp-parquet as a container: `docker build -t cdp-parquet .`, then
#   docker run --rm cdp-parquet run /app/deploy/pipeline.yaml --shard auto ...
# The build is deploy/build.sh (plain shell, also run by test/deploy-image.test.ts).
FROM node:24-slim AS build
WORKDIR /src
COPY package.json package-lock.json tsconfig.base.json ./
COPY packages ./packages
COPY deploy ./deploy
RUN sh deploy/build.sh /src /app

FROM node:24-slim
ENV NODE_ENV=production
COPY --from=build --chown=root:root /app /app
WORKDIR /app
# The image's own non-root user (uid 1000); nothing in /app is writable by it.
USER node
ENTRYPOINT ["node", "/app/packages/lake/bin/cdp-parquet.js"]
CMD ["--help"]
