// A function as a Go binary pulls its invocations (wire contract §13), for bench/run.sh's cold start: the protocol of
// fc-runtime-go-sdk's fc.Start, written with the standard library only (no module downloads here). Every invocation
// answers an HTTP-trigger response, 200 "cold".
package main

import (
	"bytes"
	"io"
	"net/http"
	"os"
	"time"
)

const output = `{"statusCode":200,"headers":{"Content-Type":"text/plain"},"body":"cold"}`

func main() {
	base := "http://" + os.Getenv("FC_RUNTIME_API") + "/2020-11-11/runtime/invocation/"
	for {
		id, ok := next(base)
		if !ok {
			time.Sleep(100 * time.Millisecond)
			continue
		}
		answer, err := http.Post(base+id+"/response", "application/json", bytes.NewReader([]byte(output)))
		if err == nil {
			io.Copy(io.Discard, answer.Body)
			answer.Body.Close()
		}
	}
}

// next asks for the next invocation and returns its request id, having read (and dropped) its event.
func next(base string) (string, bool) {
	answer, err := http.Get(base + "next")
	if err != nil {
		return "", false
	}
	defer answer.Body.Close()
	io.Copy(io.Discard, answer.Body)
	id := answer.Header.Get("x-fc-request-id")
	return id, answer.StatusCode == http.StatusOK && id != ""
}
