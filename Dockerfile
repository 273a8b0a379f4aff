# essfed runs TypeScript directly with Node's type stripping: no build step.
FROM node:24-slim
WORKDIR /app
COPY package.json package-lock.json .npmrc ./
RUN npm install --omit=dev --no-audit --no-fund
COPY bin ./bin
COPY src ./src
COPY vocab ./vocab
ENV ESSFED_DATA=/data PORT=8080
VOLUME ["/data"]
EXPOSE 8080
USER node
CMD ["node", "bin/essfed.js", "serve"]
