# Small image: build the one binary, run it as an unprivileged user.
FROM golang:1.26-bookworm AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o /out/belong ./cmd/belong

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/belong /usr/local/bin/belong
EXPOSE 8080
ENTRYPOINT ["/usr/local/bin/belong"]
CMD ["serve"]
