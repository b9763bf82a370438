// Command keygen prints a fresh Ed25519 key pair for access tokens: the
// signing key (a base64 seed) goes into the Secrets Manager secret
// TokenSigningKeySecretName names, the public key into the TokenVerifyKeys
// parameter of template.yaml (README, "Deploy" and "Rotating keys").
//
//	go run ./infra/local/cmd/keygen
//	go run ./infra/local/cmd/keygen -json   # for scripts
package main

import (
	"crypto/ed25519"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"flag"
	"fmt"
	"os"

	"github.com/clientzone/clientzone/shared/token"
)

func main() {
	asJSON := flag.Bool("json", false, "print {signingKey, verifyKey, kid} as JSON")
	flag.Parse()
	pub, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		fmt.Fprintln(os.Stderr, "keygen:", err)
		os.Exit(1)
	}
	signing, verify := base64.StdEncoding.EncodeToString(priv.Seed()), base64.StdEncoding.EncodeToString(pub)
	if *asJSON {
		_ = json.NewEncoder(os.Stdout).Encode(map[string]string{"signingKey": signing, "verifyKey": verify, "kid": token.KeyID(pub)})
		return
	}
	fmt.Printf("signing key (secret; put it into Secrets Manager): %s\n", signing)
	fmt.Printf("verify key (public; TokenVerifyKeys, current first): %s\n", verify)
	fmt.Printf("kid (tokens name their key by it): %s\n", token.KeyID(pub))
}
