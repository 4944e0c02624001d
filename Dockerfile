# swe-srl itself: Node and the CLI, driving the host's Docker engine through its socket.
# Build with scripts/build-docker-image.sh (it stages the Node binary and production packages into .docker/), then:
#   docker run --rm -v /var/run/docker.sock:/var/run/docker.sock -v "$PWD/runs:/app/runs" swe-srl eval --predictions gold
# The base image is a build argument: by default the project's own Debian base (npm run setup builds it), so the
# image builds with no registry; any Debian/Ubuntu image with libstdc++ works too.
ARG BASE_IMAGE=swe-srl-base:bookworm
FROM ${BASE_IMAGE}
COPY .docker/node /usr/local/bin/node
WORKDIR /app
COPY .docker/app/ /app/
COPY package.json package-lock.json /app/
COPY bin /app/bin
COPY src /app/src
COPY envs /app/envs
COPY tasks /app/tasks
ENV NODE_ENV=production
ENTRYPOINT ["node", "/app/bin/swe-srl.js"]
CMD ["--help"]
