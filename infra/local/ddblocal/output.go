package ddblocal

import (
	"bytes"
	"io"
	"strconv"
	"strings"
	"sync"
)

// tailSize is how much of Java's most recent output is kept for error messages.
const tailSize = 4 << 10

// readyPrefix starts the line Launcher.java prints once it is listening.
const readyPrefix = "ddblocal-launcher: listening on "

// javaOutput receives the JVM's stdout and stderr. It copies them to an
// optional log writer, keeps the last tailSize bytes for error messages, and
// watches for the launcher's ready line to learn the port.
//
// Write never fails: a failing log writer must not block or kill the JVM.
type javaOutput struct {
	log io.Writer // may be nil

	mu      sync.Mutex
	tail    []byte
	line    []byte   // incomplete line, while still looking for the ready line
	port    chan int // receives the listening port once; buffered
	sawPort bool
}

func newJavaOutput(log io.Writer) *javaOutput {
	return &javaOutput{log: log, port: make(chan int, 1)}
}

func (o *javaOutput) Write(p []byte) (int, error) {
	o.mu.Lock()
	defer o.mu.Unlock()

	if o.log != nil {
		_, _ = o.log.Write(p)
	}

	o.tail = append(o.tail, p...)
	if extra := len(o.tail) - tailSize; extra > 0 {
		o.tail = append(o.tail[:0], o.tail[extra:]...)
	}

	if !o.sawPort {
		o.line = append(o.line, p...)
		for {
			i := bytes.IndexByte(o.line, '\n')
			if i < 0 {
				break
			}
			line := strings.TrimSpace(string(o.line[:i]))
			o.line = o.line[i+1:]
			if port, ok := parseReadyLine(line); ok {
				o.sawPort = true
				o.line = nil
				o.port <- port
				break
			}
		}
		if len(o.line) > tailSize { // no sane ready line is this long
			o.line = o.line[len(o.line)-tailSize:]
		}
	}
	return len(p), nil
}

// Tail returns the last few KB of output.
func (o *javaOutput) Tail() string {
	o.mu.Lock()
	defer o.mu.Unlock()
	return string(o.tail)
}

// parseReadyLine extracts the port from "ddblocal-launcher: listening on 127.0.0.1:PORT".
func parseReadyLine(line string) (int, bool) {
	rest, ok := strings.CutPrefix(line, readyPrefix)
	if !ok {
		return 0, false
	}
	addr, _, _ := strings.Cut(rest, " ") // first connector; there is only one
	host, portStr, ok := strings.Cut(addr, ":")
	if !ok || host != loopbackHost {
		return 0, false
	}
	port, err := strconv.Atoi(portStr)
	if err != nil || port <= 0 || port > 65535 {
		return 0, false
	}
	return port, true
}
