package sign

import (
	"bytes"
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"math/big"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/emmansun/gmsm/sm2"
	"github.com/emmansun/gmsm/sm3"
)

// Algorithm is a request-signing algorithm of Huawei Cloud's API gateway, named
// as the official SDK (core/auth/signer/algorithm) and the official provider's
// signing_algorithm name it.
type Algorithm string

// The four algorithms of the official SDK. HmacSHA256 is the default; the SM3
// ones are for accounts under the Chinese cryptography rules (GB/T 32905 SM3,
// GB/T 32918 SM2).
const (
	HmacSHA256      Algorithm = "HmacSHA256"
	HmacSM3         Algorithm = "HmacSM3"
	EcdsaP256SHA256 Algorithm = "EcdsaP256SHA256"
	SM2SM3          Algorithm = "SM2SM3"

	DefaultAlgorithm = HmacSHA256
)

// Body-hash headers: a request may carry its payload hash (or UNSIGNED-PAYLOAD)
// in the one of its algorithm's family, which is then signed and used as the
// canonical request's payload hash.
const (
	HeaderContentSha256 = "X-Sdk-Content-Sha256"
	HeaderContentSm3    = "X-Sdk-Content-Sm3"
	// UnsignedPayload is the body-hash header's value for a body that is not
	// JSON or BSON: the SDK does not hash such bodies.
	UnsignedPayload = "UNSIGNED-PAYLOAD"
)

// algorithmSpec is what distinguishes the algorithms: the Authorization scheme,
// the hash of the canonical request and body, the body-hash header, and whether
// the signature is an HMAC of the secret key or an ECC signature with a key
// derived from the access key pair.
type algorithmSpec struct {
	scheme        string
	hash          func() hash.Hash
	contentHeader string
	ecc           bool
}

var algorithmSpecs = map[Algorithm]algorithmSpec{
	HmacSHA256:      {scheme: "SDK-HMAC-SHA256", hash: sha256.New, contentHeader: HeaderContentSha256},
	HmacSM3:         {scheme: "SDK-HMAC-SM3", hash: sm3.New, contentHeader: HeaderContentSm3},
	EcdsaP256SHA256: {scheme: "SDK-ECDSA-P256-SHA256", hash: sha256.New, contentHeader: HeaderContentSha256, ecc: true},
	SM2SM3:          {scheme: "SDK-SM2-SM3", hash: sm3.New, contentHeader: HeaderContentSm3, ecc: true},
}

// Algorithms lists the algorithms, the default first.
func Algorithms() []Algorithm {
	return []Algorithm{HmacSHA256, HmacSM3, EcdsaP256SHA256, SM2SM3}
}

// AlgorithmNames lists the algorithms' names, the default first.
func AlgorithmNames() []string {
	out := make([]string, 0, len(algorithmSpecs))
	for _, a := range Algorithms() {
		out = append(out, string(a))
	}
	return out
}

// Valid says whether a is one of Algorithms (names are case-sensitive, as the
// SDK's are).
func (a Algorithm) Valid() bool {
	_, ok := algorithmSpecs[a]
	return ok
}

// Scheme is a's name in the Authorization header, such as SDK-HMAC-SM3; "" for
// an invalid a.
func (a Algorithm) Scheme() string { return algorithmSpecs[a].scheme }

// ContentHeader is a's body-hash header: X-Sdk-Content-Sm3 for the SM3
// algorithms, X-Sdk-Content-Sha256 for the others.
func (a Algorithm) ContentHeader() string { return algorithmSpecs[a].contentHeader }

// ErrInvalidAlgorithm is returned when signing with an algorithm that is not one
// of Algorithms.
var ErrInvalidAlgorithm = errors.New("invalid signing algorithm")

// Signer signs requests with one algorithm. The ECC algorithms derive their
// private key from the access key pair as the SDK does; the key of the last pair
// is kept, so that a pair used for many requests is derived once. A Signer is
// safe for concurrent use.
type Signer struct {
	alg  Algorithm
	spec algorithmSpec

	mu     sync.Mutex
	keyFor [2]string     // the access key and secret key key was derived from
	key    crypto.Signer // *ecdsa.PrivateKey or *sm2.PrivateKey
}

// NewSigner returns a Signer of alg; "" means DefaultAlgorithm. An invalid alg
// gives a Signer whose Sign fails with ErrInvalidAlgorithm.
func NewSigner(alg Algorithm) *Signer {
	if alg == "" {
		alg = DefaultAlgorithm
	}
	return &Signer{alg: alg, spec: algorithmSpecs[alg]}
}

// Algorithm is the Signer's algorithm.
func (s *Signer) Algorithm() Algorithm { return s.alg }

// Sign sets X-Sdk-Date (from t), X-Security-Token (for temporary credentials)
// and Authorization on req, signing body as its payload: nil or empty for a
// bodiless request. A request whose Content-Type is set and is neither JSON nor
// BSON gets the algorithm's body-hash header set to UNSIGNED-PAYLOAD, as the
// SDK does; a body-hash header already set is signed and stands for the body.
// The query must already be on req.URL (RawQuery); the path is taken decoded
// from req.URL.Path.
func (s *Signer) Sign(req *http.Request, creds Credentials, body []byte, t time.Time) error {
	if s.spec.scheme == "" {
		return fmt.Errorf("%w %q: use one of %s", ErrInvalidAlgorithm, s.alg, strings.Join(AlgorithmNames(), ", "))
	}
	req.Header.Set(HeaderSdkDate, t.UTC().Format(SdkDateFormat))
	if creds.SecurityToken != "" {
		req.Header.Set(HeaderSecurityToken, creds.SecurityToken)
	} else {
		req.Header.Del(HeaderSecurityToken)
	}
	if ct := req.Header.Get("Content-Type"); ct != "" && !strings.Contains(ct, "application/json") && !strings.Contains(ct, "application/bson") {
		req.Header.Set(s.spec.contentHeader, UnsignedPayload)
	}
	names := signedHeaderNames(req.Header)
	sts := s.stringToSign(req, names, body)
	sig, err := s.signature(sts, creds)
	if err != nil {
		return err
	}
	req.Header.Set(HeaderAuthorization, s.spec.scheme+" Access="+creds.AccessKey+
		", SignedHeaders="+strings.Join(names, ";")+", Signature="+sig)
	return nil
}

// stringToSign is "<scheme>\n<X-Sdk-Date>\n<hex hash of the canonical request>".
func (s *Signer) stringToSign(req *http.Request, names []string, body []byte) string {
	payload := req.Header.Get(s.spec.contentHeader)
	if payload == "" {
		payload = s.hexHash(body)
	}
	canonical := canonicalRequest(req.Method, req.URL.Path, req.URL.Query(), req.Header, names, payload)
	return s.spec.scheme + "\n" + req.Header.Get(HeaderSdkDate) + "\n" + s.hexHash([]byte(canonical))
}

func (s *Signer) hexHash(b []byte) string {
	h := s.spec.hash()
	h.Write(b)
	return hex.EncodeToString(h.Sum(nil))
}

// signature is the lower-case hex HMAC of the string to sign keyed with the
// secret key, or the hex DER (r, s) ECC signature of it with the derived key.
func (s *Signer) signature(sts string, creds Credentials) (string, error) {
	if !s.spec.ecc {
		mac := hmac.New(s.spec.hash, []byte(creds.SecretKey))
		mac.Write([]byte(sts))
		return hex.EncodeToString(mac.Sum(nil)), nil
	}
	key, err := s.signingKey(creds.AccessKey, creds.SecretKey)
	if err != nil {
		return "", err
	}
	var sig []byte
	switch k := key.(type) {
	case *sm2.PrivateKey:
		// SM2 with the default user ID 1234567812345678: e = SM3(ZA || sts).
		sig, err = k.Sign(rand.Reader, []byte(sts), sm2.DefaultSM2SignerOpts)
	case *ecdsa.PrivateKey:
		digest := sha256.Sum256([]byte(sts))
		sig, err = ecdsa.SignASN1(rand.Reader, k, digest[:])
	}
	if err != nil {
		return "", fmt.Errorf("signing with %s: %w", s.alg, err)
	}
	return hex.EncodeToString(sig), nil
}

// signingKey is the ECC key derived from ak and sk, kept for the next call.
func (s *Signer) signingKey(ak, sk string) (crypto.Signer, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.key != nil && s.keyFor == [2]string{ak, sk} {
		return s.key, nil
	}
	key, err := DeriveKey(s.alg, ak, sk)
	if err != nil {
		return nil, err
	}
	s.key, s.keyFor = key, [2]string{ak, sk}
	return key, nil
}

// DeriveKey derives the private key of an ECC algorithm from an access key
// pair, as the SDK's P256SHA256Signer and SM2SM3Signer do: the first of
// HMAC(sk, 00000001 || scheme || 00 || ak || counter || 00000100), counter
// 0..255, that is at most n-2 (n the curve's order), plus one. The HMAC's hash
// is the algorithm's (SHA-256 or SM3). The result is an *ecdsa.PrivateKey on
// P-256 or an *sm2.PrivateKey.
func DeriveKey(alg Algorithm, ak, sk string) (crypto.Signer, error) {
	spec := algorithmSpecs[alg]
	if !spec.ecc {
		return nil, fmt.Errorf("%w %q: only %s and %s derive a key", ErrInvalidAlgorithm, alg, EcdsaP256SHA256, SM2SM3)
	}
	curve := elliptic.P256()
	if alg == SM2SM3 {
		curve = sm2.P256()
	}
	nMinusTwo := new(big.Int).Sub(curve.Params().N, big.NewInt(2))
	var data bytes.Buffer
	for counter := byte(0); ; counter++ {
		data.Reset()
		data.Write([]byte{0, 0, 0, 1})
		data.WriteString(spec.scheme)
		data.WriteByte(0)
		data.WriteString(ak)
		data.WriteByte(counter)
		data.Write([]byte{0, 0, 1, 0})
		mac := hmac.New(spec.hash, []byte(sk))
		mac.Write(data.Bytes())
		d := new(big.Int).SetBytes(mac.Sum(nil))
		if d.Cmp(nMinusTwo) <= 0 {
			raw := d.Add(d, big.NewInt(1)).FillBytes(make([]byte, 32))
			if alg == SM2SM3 {
				return sm2.NewPrivateKey(raw)
			}
			return ecdsa.ParseRawPrivateKey(curve, raw)
		}
		if counter == 0xff {
			return nil, fmt.Errorf("deriving the %s key: no candidate below the curve order in 256 tries", alg)
		}
	}
}
