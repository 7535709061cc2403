package fakeapi

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/asn1"
	"hash"
	"math/big"
)

// The fake's own elliptic-curve code for the gateway's check of
// SDK-ECDSA-P256-SHA256 and SDK-SM2-SM3 signatures: textbook affine arithmetic
// on y² = x³ + ax + b over big.Int, the key derivation of the signing scheme,
// and ECDSA (FIPS 186) and SM2 (GB/T 32918.2) verification. It shares no code
// with the client's signer or its library. Not constant-time, and slow (a few
// milliseconds a check): it only ever sees public values and test keys.

type curve struct {
	p, a, b, n *big.Int
	g          point
}

// point is an affine point; inf marks the point at infinity.
type point struct {
	x, y *big.Int
	inf  bool
}

func hexInt(s string) *big.Int {
	n, ok := new(big.Int).SetString(s, 16)
	if !ok {
		panic("bad curve constant " + s)
	}
	return n
}

// NIST P-256 (FIPS 186-4 D.1.2.3) and the SM2 curve (GB/T 32918.5-2017); both
// have a = p - 3.
var (
	curveP256 = curve{
		p: hexInt("ffffffff00000001000000000000000000000000ffffffffffffffffffffffff"),
		a: hexInt("ffffffff00000001000000000000000000000000fffffffffffffffffffffffc"),
		b: hexInt("5ac635d8aa3a93e7b3ebbd55769886bc651d06b0cc53b0f63bce3c3e27d2604b"),
		n: hexInt("ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551"),
		g: point{x: hexInt("6b17d1f2e12c4247f8bce6e563a440f277037d812deb33a0f4a13945d898c296"), y: hexInt("4fe342e2fe1a7f9b8ee7eb4a7c0f9e162bce33576b315ececbb6406837bf51f5")},
	}
	curveSM2 = curve{
		p: hexInt("fffffffeffffffffffffffffffffffffffffffff00000000ffffffffffffffff"),
		a: hexInt("fffffffeffffffffffffffffffffffffffffffff00000000fffffffffffffffc"),
		b: hexInt("28e9fa9e9d9f5e344d5a9e4bcf6509a7f39789f515ab8f92ddbcbd414d940e93"),
		n: hexInt("fffffffeffffffffffffffffffffffff7203df6b21c6052b53bbf40939d54123"),
		g: point{x: hexInt("32c4ae2c1f1981195f9904466a39c9948fe30bbff2660be1715a4589334c74c7"), y: hexInt("bc3736a2f4f6779c59bdcee36b692153d0a9877cc62a474002df32e52139f0a0")},
	}
)

func (c *curve) mod(x *big.Int) *big.Int { return x.Mod(x, c.p) }

func (c *curve) add(p1, p2 point) point {
	switch {
	case p1.inf:
		return p2
	case p2.inf:
		return p1
	case p1.x.Cmp(p2.x) == 0:
		if p1.y.Cmp(p2.y) == 0 && p1.y.Sign() != 0 {
			return c.double(p1)
		}
		return point{inf: true}
	}
	num := c.mod(new(big.Int).Sub(p2.y, p1.y))
	den := new(big.Int).ModInverse(c.mod(new(big.Int).Sub(p2.x, p1.x)), c.p)
	return c.fromSlope(c.mod(num.Mul(num, den)), p1, p2.x)
}

func (c *curve) double(p1 point) point {
	if p1.inf || p1.y.Sign() == 0 {
		return point{inf: true}
	}
	num := new(big.Int).Mul(p1.x, p1.x)
	num.Mul(num, big.NewInt(3)).Add(num, c.a)
	den := new(big.Int).ModInverse(c.mod(new(big.Int).Lsh(p1.y, 1)), c.p)
	return c.fromSlope(c.mod(num.Mul(num, den)), p1, p1.x)
}

// fromSlope is the third point of the line of slope l through p1 and (x2, ·),
// mirrored.
func (c *curve) fromSlope(l *big.Int, p1 point, x2 *big.Int) point {
	x3 := new(big.Int).Mul(l, l)
	x3 = c.mod(x3.Sub(x3, p1.x).Sub(x3, x2))
	y3 := new(big.Int).Sub(p1.x, x3)
	y3 = c.mod(y3.Mul(y3, l).Sub(y3, p1.y))
	return point{x: x3, y: y3}
}

// mul is k·p1, double-and-add from the top bit.
func (c *curve) mul(k *big.Int, p1 point) point {
	r := point{inf: true}
	for i := k.BitLen() - 1; i >= 0; i-- {
		r = c.double(r)
		if k.Bit(i) == 1 {
			r = c.add(r, p1)
		}
	}
	return r
}

// onCurve says whether p1 satisfies the curve equation.
func (c *curve) onCurve(p1 point) bool {
	if p1.inf {
		return false
	}
	lhs := c.mod(new(big.Int).Mul(p1.y, p1.y))
	rhs := new(big.Int).Mul(p1.x, p1.x)
	rhs.Mul(rhs, p1.x)
	rhs.Add(rhs, new(big.Int).Mul(c.a, p1.x)).Add(rhs, c.b)
	return lhs.Cmp(c.mod(rhs)) == 0
}

// derivePublicKey is the public key of the private key the signing scheme
// derives from an access key pair: d = 1 + the first of
// HMAC-H(sk, 00000001 ‖ scheme ‖ 00 ‖ ak ‖ counter ‖ 00000100), counter 0…255,
// that is at most n - 2; the key is d·G.
func (c *curve) derivePublicKey(newHash func() hash.Hash, scheme, ak, sk string) (point, bool) {
	limit := new(big.Int).Sub(c.n, big.NewInt(2))
	for counter := 0; counter < 256; counter++ {
		msg := []byte{0, 0, 0, 1}
		msg = append(msg, scheme...)
		msg = append(msg, 0)
		msg = append(msg, ak...)
		msg = append(msg, byte(counter), 0, 0, 1, 0)
		mac := hmac.New(newHash, []byte(sk))
		mac.Write(msg)
		d := new(big.Int).SetBytes(mac.Sum(nil))
		if d.Cmp(limit) <= 0 {
			return c.mul(d.Add(d, big.NewInt(1)), c.g), true
		}
	}
	return point{}, false
}

// parseDER reads an ASN.1 SEQUENCE of two INTEGERs (r, s), both in [1, n-1].
func (c *curve) parseDER(sig []byte) (r, s *big.Int, ok bool) {
	var rs struct{ R, S *big.Int }
	rest, err := asn1.Unmarshal(sig, &rs)
	if err != nil || len(rest) != 0 {
		return nil, nil, false
	}
	for _, v := range []*big.Int{rs.R, rs.S} {
		if v.Sign() <= 0 || v.Cmp(c.n) >= 0 {
			return nil, nil, false
		}
	}
	return rs.R, rs.S, true
}

// verifyECDSA checks an ECDSA signature (DER) of msg's SHA-256 under pub.
func verifyECDSA(pub point, msg, sig []byte) bool {
	c := &curveP256
	r, s, ok := c.parseDER(sig)
	if !ok || !c.onCurve(pub) {
		return false
	}
	digest := sha256.Sum256(msg)
	e := new(big.Int).SetBytes(digest[:])
	w := new(big.Int).ModInverse(s, c.n)
	u1 := new(big.Int).Mul(e, w)
	u2 := new(big.Int).Mul(r, w)
	x := c.add(c.mul(u1.Mod(u1, c.n), c.g), c.mul(u2.Mod(u2, c.n), pub))
	if x.inf {
		return false
	}
	return new(big.Int).Mod(x.x, c.n).Cmp(r) == 0
}

// sm2DefaultID is the user ID of an SM2 signature when none is agreed
// (GB/T 35276), as the SDK signs.
var sm2DefaultID = []byte("1234567812345678")

// verifySM2 checks an SM2 signature (DER) of msg under pub with the default
// user ID: e = SM3(ZA ‖ msg), (x1, ·) = s·G + (r+s)·pub, r = e + x1 mod n.
func verifySM2(pub point, msg, sig []byte) bool {
	c := &curveSM2
	r, s, ok := c.parseDER(sig)
	if !ok || !c.onCurve(pub) {
		return false
	}
	za := newSM3()
	za.Write([]byte{byte(len(sm2DefaultID) * 8 >> 8), byte(len(sm2DefaultID) * 8)})
	za.Write(sm2DefaultID)
	for _, v := range []*big.Int{c.a, c.b, c.g.x, c.g.y, pub.x, pub.y} {
		za.Write(v.FillBytes(make([]byte, 32)))
	}
	h := newSM3()
	h.Write(za.Sum(nil))
	h.Write(msg)
	e := new(big.Int).SetBytes(h.Sum(nil))
	t := new(big.Int).Add(r, s)
	if t.Mod(t, c.n).Sign() == 0 {
		return false
	}
	x := c.add(c.mul(s, c.g), c.mul(t, pub))
	if x.inf {
		return false
	}
	rr := new(big.Int).Add(e, x.x)
	return rr.Mod(rr, c.n).Cmp(r) == 0
}
