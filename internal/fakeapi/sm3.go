package fakeapi

import (
	"encoding/binary"
	"hash"
	"math/bits"
)

// The fake's own SM3 (GB/T 32905-2016), written from the standard so that the
// gateway's check of the SM3 signatures shares no code with the client's
// library. It keeps what is written and hashes it in Sum: the fake hashes short
// canonical requests, and simple beats fast here.

const sm3Size, sm3BlockSize = 32, 64

type sm3Digest struct{ buf []byte }

func newSM3() hash.Hash { return &sm3Digest{} }

func (d *sm3Digest) Write(p []byte) (int, error) { d.buf = append(d.buf, p...); return len(p), nil }
func (d *sm3Digest) Reset()                      { d.buf = d.buf[:0] }
func (d *sm3Digest) Size() int                   { return sm3Size }
func (d *sm3Digest) BlockSize() int              { return sm3BlockSize }

func (d *sm3Digest) Sum(in []byte) []byte {
	sum := sm3Sum(d.buf)
	return append(in, sum[:]...)
}

// sm3Sum pads msg (a 1 bit, zeros, the 64-bit bit length) and compresses each
// 512-bit block into the state.
func sm3Sum(msg []byte) [sm3Size]byte {
	v := [8]uint32{0x7380166f, 0x4914b2b9, 0x172442d7, 0xda8a0600, 0xa96f30bc, 0x163138aa, 0xe38dee4d, 0xb0fb0e4e}
	padded := append(append([]byte(nil), msg...), 0x80)
	for len(padded)%sm3BlockSize != 56 {
		padded = append(padded, 0)
	}
	padded = binary.BigEndian.AppendUint64(padded, uint64(len(msg))*8)
	for i := 0; i < len(padded); i += sm3BlockSize {
		sm3Compress(&v, padded[i:i+sm3BlockSize])
	}
	var out [sm3Size]byte
	for i, x := range v {
		binary.BigEndian.PutUint32(out[4*i:], x)
	}
	return out
}

func sm3Compress(v *[8]uint32, block []byte) {
	rotl := bits.RotateLeft32
	p0 := func(x uint32) uint32 { return x ^ rotl(x, 9) ^ rotl(x, 17) }
	p1 := func(x uint32) uint32 { return x ^ rotl(x, 15) ^ rotl(x, 23) }
	var w [68]uint32
	var w1 [64]uint32
	for j := 0; j < 16; j++ {
		w[j] = binary.BigEndian.Uint32(block[4*j:])
	}
	for j := 16; j < 68; j++ {
		w[j] = p1(w[j-16]^w[j-9]^rotl(w[j-3], 15)) ^ rotl(w[j-13], 7) ^ w[j-6]
	}
	for j := 0; j < 64; j++ {
		w1[j] = w[j] ^ w[j+4]
	}
	a, b, c, d, e, f, g, h := v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7]
	for j := 0; j < 64; j++ {
		var t, ff, gg uint32
		if j < 16 {
			t, ff, gg = 0x79cc4519, a^b^c, e^f^g
		} else {
			t, ff, gg = 0x7a879d8a, (a&b)|(a&c)|(b&c), (e&f)|(^e&g)
		}
		ss1 := rotl(rotl(a, 12)+e+rotl(t, j%32), 7)
		ss2 := ss1 ^ rotl(a, 12)
		tt1 := ff + d + ss2 + w1[j]
		tt2 := gg + h + ss1 + w[j]
		d, c, b, a = c, rotl(b, 9), a, tt1
		h, g, f, e = g, rotl(f, 19), e, p0(tt2)
	}
	v[0] ^= a
	v[1] ^= b
	v[2] ^= c
	v[3] ^= d
	v[4] ^= e
	v[5] ^= f
	v[6] ^= g
	v[7] ^= h
}
