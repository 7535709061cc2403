package transport

import (
	"context"

	"github.com/workspace-terraform/terraform-provider-huaweicloud/internal/client/sign"
)

// A Source gives the keys that sign a request. The client asks it before every
// attempt of every request (retries included), so that keys that are renewed
// while a listing runs sign the rest of it. Package creds has the renewing
// sources.
type Source interface {
	// Credentials returns the keys to sign with now.
	Credentials(ctx context.Context) (sign.Credentials, error)
	// Invalidate says that the API refused keys as expired: a source that can
	// renew them does so at the next Credentials call, unless it already has
	// other keys. A static source ignores it.
	Invalidate(refused sign.Credentials)
	// Renewable says whether Invalidate can lead to other keys.
	Renewable() bool
}

// Static are keys that never change: the provider block's, a variable's or a
// profile's.
type Static sign.Credentials

// Credentials returns the keys.
func (s Static) Credentials(context.Context) (sign.Credentials, error) {
	return sign.Credentials(s), nil
}

// Invalidate does nothing: there is nothing to renew.
func (Static) Invalidate(sign.Credentials) {}

// Renewable is false.
func (Static) Renewable() bool { return false }
