package fakeapi

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"math/big"
	"testing"

	"github.com/emmansun/gmsm/sm2"
	"github.com/emmansun/gmsm/sm3"
)

// The fake's SM3 against the standard's examples (GB/T 32905-2016 A.1, A.2)
// and, over every length around the block and padding boundaries, a library.
func TestSM3(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"abc", "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0"},
		{"abcdabcdabcdabcdabcdabcdabcdabcdabcdabcdabcdabcdabcdabcdabcdabcd", "debe9ff92275b8a138604889c18e5a4d6fdb70e5387e5765293dcba39c0c5732"},
		{"", "1ab21d8355cfa17f8e61194831e81a8f22bec8c728fefb747ed035eb5082aa2b"},
	} {
		h := newSM3()
		h.Write([]byte(tc.in))
		if got := hex.EncodeToString(h.Sum(nil)); got != tc.want {
			t.Errorf("SM3(%q) = %s, want %s", tc.in, got, tc.want)
		}
	}
	msg := make([]byte, 300)
	if _, err := rand.Read(msg); err != nil {
		t.Fatal(err)
	}
	for n := 0; n <= len(msg); n++ {
		if got, want := sm3Sum(msg[:n]), sm3.Sum(msg[:n]); got != want {
			t.Fatalf("SM3 of %d bytes: %x, want %x", n, got, want)
		}
	}
	h := newSM3()
	h.Write([]byte("ab"))
	h.Write([]byte("c"))
	if got := hex.EncodeToString(h.Sum([]byte{0xff})); got != "ff66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0" {
		t.Errorf("Sum after two writes, appended: %s", got)
	}
	h.Reset()
	if got := hex.EncodeToString(h.Sum(nil)); got != "1ab21d8355cfa17f8e61194831e81a8f22bec8c728fefb747ed035eb5082aa2b" {
		t.Errorf("Sum after Reset: %s", got)
	}
}

// The fake's curve constants are those of the standard library's P-256 and of
// an SM2 library, and its arithmetic agrees with them.
func TestCurves(t *testing.T) {
	for _, tc := range []struct {
		name string
		c    *curve
		lib  elliptic.Curve
	}{{"P-256", &curveP256, elliptic.P256()}, {"SM2", &curveSM2, sm2.P256()}} {
		t.Run(tc.name, func(t *testing.T) {
			p := tc.lib.Params()
			if tc.c.p.Cmp(p.P) != 0 || tc.c.b.Cmp(p.B) != 0 || tc.c.n.Cmp(p.N) != 0 || tc.c.g.x.Cmp(p.Gx) != 0 || tc.c.g.y.Cmp(p.Gy) != 0 {
				t.Fatal("curve constants differ from the library's")
			}
			if a := new(big.Int).Sub(p.P, big.NewInt(3)); tc.c.a.Cmp(a) != 0 {
				t.Fatal("a is not p - 3")
			}
			if !tc.c.onCurve(tc.c.g) {
				t.Fatal("G is not on the curve")
			}
			if !tc.c.mul(tc.c.n, tc.c.g).inf {
				t.Fatal("n·G is not the point at infinity")
			}
			for _, k := range []*big.Int{big.NewInt(1), big.NewInt(2), big.NewInt(3), new(big.Int).Sub(p.N, big.NewInt(1)), hexInt("0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef")} {
				got := tc.c.mul(k, tc.c.g)
				x, y := libScalarBaseMult(t, tc.name, k)
				if got.x.Cmp(x) != 0 || got.y.Cmp(y) != 0 {
					t.Errorf("%x·G differs from the library's", k)
				}
			}
		})
	}
}

// libScalarBaseMult is k·G by the standard library (P-256) or the SM2 library.
func libScalarBaseMult(t *testing.T, name string, k *big.Int) (x, y *big.Int) {
	t.Helper()
	raw := k.FillBytes(make([]byte, 32))
	if name == "SM2" {
		if k.Cmp(new(big.Int).Sub(curveSM2.n, big.NewInt(1))) == 0 {
			// The library refuses n-1 as a private key: -G.
			return curveSM2.g.x, new(big.Int).Sub(curveSM2.p, curveSM2.g.y)
		}
		key, err := sm2.NewPrivateKey(raw)
		if err != nil {
			t.Fatal(err)
		}
		p := pointOf(t, &key.PublicKey)
		return p.x, p.y
	}
	key, err := ecdsa.ParseRawPrivateKey(elliptic.P256(), raw)
	if err != nil {
		t.Fatal(err)
	}
	p := pointOf(t, &key.PublicKey)
	return p.x, p.y
}

// The fake's verifiers accept what libraries sign, and refuse a changed
// message, another key, and malformed signatures.
func TestVerifiers(t *testing.T) {
	msg := []byte("SDK-SM2-SM3\n20261128T040000Z\nabc")
	other := []byte("SDK-SM2-SM3\n20261128T040000Z\nabd")

	ecKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	ecPub := pointOf(t, &ecKey.PublicKey)
	digest := sha256.Sum256(msg)
	ecSig, err := ecdsa.SignASN1(rand.Reader, ecKey, digest[:])
	if err != nil {
		t.Fatal(err)
	}
	smKey, err := sm2.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	smPub := pointOf(t, &smKey.PublicKey)
	smSig, err := smKey.Sign(rand.Reader, msg, sm2.DefaultSM2SignerOpts)
	if err != nil {
		t.Fatal(err)
	}

	if !verifyECDSA(ecPub, msg, ecSig) {
		t.Error("ECDSA: a good signature is refused")
	}
	if verifyECDSA(ecPub, other, ecSig) {
		t.Error("ECDSA: accepted over another message")
	}
	if verifyECDSA(curveP256.g, msg, ecSig) {
		t.Error("ECDSA: accepted under another key")
	}
	if !verifySM2(smPub, msg, smSig) {
		t.Error("SM2: a good signature is refused")
	}
	if verifySM2(smPub, other, smSig) {
		t.Error("SM2: accepted over another message")
	}
	if verifySM2(curveSM2.g, msg, smSig) {
		t.Error("SM2: accepted under another key")
	}
	if verifySM2(smPub, msg, ecSig) || verifyECDSA(ecPub, msg, smSig) {
		t.Error("a signature of the other scheme is accepted")
	}
	for _, bad := range [][]byte{nil, {0x30, 0x00}, append(append([]byte(nil), smSig...), 0)} {
		if verifySM2(smPub, msg, bad) {
			t.Errorf("SM2: malformed signature %x accepted", bad)
		}
	}
}

// pointOf is the fake's point of a library's public key, from its
// uncompressed encoding 04 ‖ x ‖ y.
func pointOf(t *testing.T, pub *ecdsa.PublicKey) point {
	t.Helper()
	raw, err := pub.Bytes()
	if err != nil {
		// An SM2 key: the standard library does not encode its curve.
		k, err := sm2.PublicKeyToECDH(pub)
		if err != nil {
			t.Fatal(err)
		}
		raw = k.Bytes()
	}
	if len(raw) != 65 || raw[0] != 4 {
		t.Fatalf("public key encoding %x", raw)
	}
	return point{x: new(big.Int).SetBytes(raw[1:33]), y: new(big.Int).SetBytes(raw[33:])}
}
