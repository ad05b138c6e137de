# Sourced by the bench scripts that talk S3 over HTTPS: a private CA and a server certificate
# for 127.0.0.1 made with openssl, and moto_server serving TLS with them on a free port.
# start_moto_tls TLS_DIR LOG: sets CA (the CA's PEM), PORT, ENDPOINT and MOTO_PID, and returns
# once the server answers. fresh_bucket NAME: an empty moto with one bucket NAME.
start_moto_tls() {
    local tls=$1 moto_log=$2
    command -v openssl >/dev/null || { local sudo_cmd=""; [[ $(id -u) == 0 ]] || sudo_cmd=sudo; $sudo_cmd apt-get install -y -qq openssl; }
    mkdir -p "$tls"
    openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=Crate bench CA" -keyout "$tls/ca.key" \
        -out "$tls/ca.pem" 2>/dev/null
    openssl req -newkey rsa:2048 -nodes -subj "/CN=127.0.0.1" -keyout "$tls/server.key" -out "$tls/server.csr" 2>/dev/null
    printf 'subjectAltName=IP:127.0.0.1,DNS:localhost\n' >"$tls/san.ext"
    openssl x509 -req -in "$tls/server.csr" -CA "$tls/ca.pem" -CAkey "$tls/ca.key" -CAcreateserial -days 2 \
        -extfile "$tls/san.ext" -out "$tls/server.pem" 2>/dev/null
    CA=$tls/ca.pem
    PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
    (unset AWS_CA_BUNDLE; exec moto_server -H 127.0.0.1 -p "$PORT" -c "$tls/server.pem" -k "$tls/server.key") \
        >"$moto_log" 2>&1 &
    MOTO_PID=$!
    ENDPOINT=https://127.0.0.1:$PORT
    for _ in $(seq 1 100); do
        curl -sf --cacert "$CA" "$ENDPOINT/moto-api/" >/dev/null 2>&1 && return 0
        kill -0 "$MOTO_PID" 2>/dev/null || break
        sleep 0.1
    done
    cat "$moto_log" >&2
    echo "moto_server did not start" >&2
    return 1
}

fresh_bucket() {
    curl -sf --cacert "$CA" -X POST "$ENDPOINT/moto-api/reset" >/dev/null
    aws --endpoint-url "$ENDPOINT" --ca-bundle "$CA" s3 mb "s3://$1" >/dev/null
}
