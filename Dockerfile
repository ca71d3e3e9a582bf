# docker build -t litestream-actors .
# docker run -v /var/lib/app:/var/lib/app -v /etc/litestream.yml:/etc/litestream.yml litestream-actors
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY . .
RUN dotnet publish src/Cli -p:PublishProfile=linux-x64

# The binary is self-contained: the runtime-deps image (glibc, ICU, TLS roots) is all it needs.
FROM mcr.microsoft.com/dotnet/runtime-deps:10.0
COPY --from=build /src/publish/linux-x64/litestream /usr/local/bin/litestream
COPY etc/litestream.yml /etc/litestream.yml
ENTRYPOINT ["/usr/local/bin/litestream"]
CMD ["replicate", "-config", "/etc/litestream.yml"]
