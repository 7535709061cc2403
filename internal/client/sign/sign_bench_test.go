package sign_test

import (
	"net/http"
	"reflect"
	"testing"
	"time"

	sdksigner "github.com/huaweicloud/huaweicloud-sdk-go-v3/core/auth/signer"
	sdkrequest "github.com/huaweicloud/huaweicloud-sdk-go-v3/core/request"

	"github.com/workspace-terraform/terraform-provider-huaweicloud/internal/client/sign"
)

// BenchmarkSign signs one ListDesktopSnapshot page request (X-Project-Id,
// offset and limit) with each algorithm, as the client does before every
// attempt, and the same request with the official SDK's signer of that
// algorithm as the baseline. The ECC keys are derived once per Signer (see
// BenchmarkDeriveKey):
//
//	go test -run '^$' -bench 'Sign|DeriveKey' -benchmem ./internal/client/sign/
func BenchmarkSign(b *testing.B) {
	const project = "0a1b2c3d4e5f60718293a4b5c6d7e8f9"
	const url = "https://workspace.cn-north-4.myhuaweicloud.com/v2/" + project + "/snapshots?offset=1000&limit=1000"
	creds := sign.Credentials{AccessKey: "HPUAXXXXXXXXXXXXXXXX", SecretKey: "sEcReTkEy/with+specials="}
	at := time.Date(2026, 11, 28, 4, 0, 0, 0, time.UTC)
	sdk := map[sign.Algorithm]interface {
		Sign(*sdkrequest.DefaultHttpRequest, string, string) (map[string]string, error)
	}{
		sign.HmacSHA256: sdksigner.Signer{}, sign.HmacSM3: sdksigner.SM3Signer{},
		sign.EcdsaP256SHA256: sdksigner.P256SHA256Signer{}, sign.SM2SM3: sdksigner.SM2SM3Signer{},
	}
	for _, alg := range sign.Algorithms() {
		b.Run(string(alg)+"/client", func(b *testing.B) {
			s := sign.NewSigner(alg)
			req, err := http.NewRequest(http.MethodGet, url, nil)
			if err != nil {
				b.Fatal(err)
			}
			req.Header.Set("X-Project-Id", project)
			b.ReportAllocs()
			for b.Loop() {
				if err := s.Sign(req, creds, nil, at); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run(string(alg)+"/sdk", func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				r := sdkrequest.NewHttpRequestBuilder().WithEndpoint("https://workspace.cn-north-4.myhuaweicloud.com").
					WithPath("/v2/"+project+"/snapshots").WithMethod(http.MethodGet).
					AddQueryParam("offset", reflect.ValueOf("1000")).AddQueryParam("limit", reflect.ValueOf("1000")).
					AddHeaderParam("X-Sdk-Date", "20261128T040000Z").AddHeaderParam("X-Project-Id", project).Build()
				if _, err := sdk[alg].Sign(r, creds.AccessKey, creds.SecretKey); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkDeriveKey derives the ECC key of an access key pair, which a Signer
// does once per pair.
func BenchmarkDeriveKey(b *testing.B) {
	for _, alg := range []sign.Algorithm{sign.EcdsaP256SHA256, sign.SM2SM3} {
		b.Run(string(alg), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := sign.DeriveKey(alg, "HPUAXXXXXXXXXXXXXXXX", "sEcReTkEy/with+specials="); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
