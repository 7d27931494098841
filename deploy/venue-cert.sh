#!/bin/sh
# For a closed network with no certificate of its own: a local certificate authority for the
# venue and a certificate for its host name (and addresses), signed by it, for nginx.
#
#   deploy/venue-cert.sh HOST_NAME [IP_ADDRESS ...]
#
# The authority goes to deploy/ca/ (or $VENUE_CA_DIR): venue-ca.key stays there, never
# mounted into a container; it is kept, so that a new host name needs no new trust on the
# tablets. nginx's files go to deploy/certs/ (or $VENUE_CERT_DIR): venue.crt and venue.key
# (the server's, 397 days, as iOS and Android accept) and venue-ca.crt (for the tablets to
# download). The authority's address goes into .env (or $VENUE_ENV_FILE) as
# FLOORKEEPER_VENUE_CA_URL, so that the access sheet prints its QR code on a card of its own.
# Then it prints how to install the authority on the tablets.
set -eu

if [ $# -lt 1 ]; then
    echo "usage: $0 HOST_NAME [IP_ADDRESS ...]" >&2
    exit 2
fi
host=$1
shift
case $host in
    *[!A-Za-z0-9.-]* | "" | -* | .*)
        echo "venue-cert.sh: '$host' is not a host name" >&2
        exit 2 ;;
esac
names="DNS:$host"
for address in "$@"; do
    case $address in
        *[!0-9a-fA-F.:]* | "") echo "venue-cert.sh: '$address' is not an IP address" >&2; exit 2 ;;
    esac
    names="$names,IP:$address"
done

here=$(cd "$(dirname "$0")" && pwd)
ca=${VENUE_CA_DIR:-"$here/ca"}
dir=${VENUE_CERT_DIR:-"$here/certs"}
umask 077
mkdir -p "$ca" "$dir"
chmod 755 "$dir"  # nginx's workers serve venue-ca.crt from it

if [ ! -s "$ca/venue-ca.key" ] || [ ! -s "$ca/venue-ca.crt" ]; then
    openssl req -x509 -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -sha256 \
        -days 3650 -subj "/O=Floorkeeper venue/CN=Floorkeeper venue authority ($host)" \
        -addext "basicConstraints=critical,CA:TRUE,pathlen:0" \
        -addext "keyUsage=critical,keyCertSign,cRLSign" \
        -keyout "$ca/venue-ca.key" -out "$ca/venue-ca.crt" 2>/dev/null
    echo "made a new certificate authority: $ca/venue-ca.crt"
else
    echo "kept the certificate authority: $ca/venue-ca.crt"
fi
cd "$dir"
cp "$ca/venue-ca.crt" venue-ca.crt

openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -sha256 \
    -subj "/CN=$host" -keyout venue.key -out venue.csr 2>/dev/null
printf '%s\n' \
    "basicConstraints=critical,CA:FALSE" \
    "keyUsage=critical,digitalSignature" \
    "extendedKeyUsage=serverAuth" \
    "subjectAltName=$names" > venue.ext
openssl x509 -req -in venue.csr -CA "$ca/venue-ca.crt" -CAkey "$ca/venue-ca.key" -CAcreateserial \
    -days 397 -sha256 -extfile venue.ext -out venue.crt 2>/dev/null
rm -f venue.csr venue.ext "$ca/venue-ca.srl" venue-ca.srl
chmod 644 venue-ca.crt venue.crt  # certificates are public; the two keys stay owner-only

url="http://$host/venue-ca.crt"
env_file=${VENUE_ENV_FILE:-"$here/../.env"}
touch "$env_file"
chmod 600 "$env_file"
others=$(grep -v '^FLOORKEEPER_VENUE_CA_URL=' "$env_file" || true)
{ [ -z "$others" ] || printf '%s\n' "$others"; echo "FLOORKEEPER_VENUE_CA_URL=$url"; } > "$env_file"
fingerprint=$(openssl x509 -in venue-ca.crt -noout -fingerprint -sha256 | cut -d = -f 2)

cat <<INSTRUCTIONS
made a certificate for $names: $dir/venue.crt (key: venue.key)

Each tablet and laptop must trust the venue's authority once, before it opens the screens.
Its address (served over plain HTTP by the proxy, since nothing trusts HTTPS yet):

    $url
    (the access sheet prints its QR code on a card of its own once the app is restarted
    with FLOORKEEPER_VENUE_CA_URL, now in $env_file: \`docker compose up -d\`)
Before trusting it, compare its SHA-256 fingerprint with this one:

    $fingerprint

  iPad / iPhone: open the address in Safari, allow the download; Settings > General >
    VPN & Device Management > the Floorkeeper profile > Install; then Settings > General >
    About > Certificate Trust Settings > switch on "Floorkeeper venue authority".
  Android: open the address in Chrome (or copy the file); Settings > Security and privacy >
    More security settings > Encryption and credentials > Install a certificate >
    CA certificate > Install anyway > choose venue-ca.crt.
  Windows: open venue-ca.crt > Install Certificate > Local Machine > "Trusted Root
    Certification Authorities".
  macOS: open venue-ca.crt in Keychain Access (System), double-click it > Trust >
    "Always Trust".
  Chromebooks and Linux: import it as an authority in the browser's certificate settings.

Then open https://$host/chair on one of them: no warning means it trusts the venue.
Keep $ca/venue-ca.key off the tablets and out of any copy of the repository.
INSTRUCTIONS
