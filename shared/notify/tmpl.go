package notify

// A tiny template engine for the message texts in templates.go. It replaces
// text/template, whose reflection (reflect.Value.MethodByName) makes the
// linker keep every exported method of every type in the binary: the
// outbox-sender Lambda was ~18 MiB with it instead of ~10 MiB.
//
// It implements exactly the subset of text/template syntax the templates
// use, with the same meaning (text/template with Option("missingkey=error")
// over a map[string]string; tmpl_test.go compares the two on every template):
//
//	{{.key}}                   data[key]; a missing key is an execution error
//	{{index . "key"}}          data[key], or "" when missing
//	{{if COND}}…{{end}}        with any number of {{else if COND}} and at
//	                           most one {{else}}; nested arbitrarily
//
// where COND is .key (error if missing; true when not empty), index . "key"
// (false when missing) or eq .key "literal" (error if .key is missing). Only
// the branch taken is evaluated. Text outside actions is copied verbatim.
// Anything else ({{- trim markers, comments, pipelines, other functions,
// variables, range, with, define …) is a parse error. Tokens inside an
// action are separated by white space; string literals are Go double-quoted
// or raw strings.

import (
	"fmt"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// tmpl is a parsed template. It is immutable and safe for concurrent use.
type tmpl struct {
	name  string
	src   string // for line:column in errors
	nodes []tnode
}

type tnodeKind uint8

const (
	tText  tnodeKind = iota // text copied verbatim
	tField                  // {{.key}}
	tIndex                  // {{index . "key"}}
	tIf                     // {{if}}…{{else if}}…{{else}}…{{end}}
)

type tnode struct {
	kind     tnodeKind
	pos      int     // byte offset of the key in src (tField)
	text     string  // the text (tText) or the key (tField, tIndex)
	branches []tcase // tIf: tried in order
	orElse   []tnode // tIf: when no branch is taken (may be empty)
}

type tcondKind uint8

const (
	cField tcondKind = iota // .key
	cIndex                  // index . "key"
	cEq                     // eq .key "literal"
)

type tcase struct {
	kind tcondKind
	pos  int // byte offset of .key (cField, cEq)
	key  string
	lit  string // cEq
	body []tnode
}

// parseTmpl parses src; errors name the template and the line:column (byte
// column, from 1) of the problem.
func parseTmpl(name, src string) (*tmpl, error) {
	p := &tparser{name: name, src: src}
	nodes, stop, err := p.list()
	if err != nil {
		return nil, err
	}
	if stop.kind != aEOF {
		return nil, p.errorf(stop.pos, "unexpected {{%s}}", stop.word)
	}
	return &tmpl{name: name, src: src, nodes: nodes}, nil
}

// execute writes the template over data to b.
func (t *tmpl) execute(b *strings.Builder, data map[string]string) error {
	return t.run(b, t.nodes, data)
}

func (t *tmpl) run(b *strings.Builder, nodes []tnode, data map[string]string) error {
	for i := range nodes {
		n := &nodes[i]
		switch n.kind {
		case tText:
			b.WriteString(n.text)
		case tField:
			v, ok := data[n.text]
			if !ok {
				return t.missing(n.pos, n.text)
			}
			b.WriteString(v)
		case tIndex:
			b.WriteString(data[n.text])
		case tIf:
			body := n.orElse
			for j := range n.branches {
				c := &n.branches[j]
				ok, err := t.cond(c, data)
				if err != nil {
					return err
				}
				if ok {
					body = c.body
					break
				}
			}
			if err := t.run(b, body, data); err != nil {
				return err
			}
		}
	}
	return nil
}

func (t *tmpl) cond(c *tcase, data map[string]string) (bool, error) {
	v, ok := data[c.key]
	switch c.kind {
	case cIndex:
		return v != "", nil
	case cField:
		if !ok {
			return false, t.missing(c.pos, c.key)
		}
		return v != "", nil
	default: // cEq
		if !ok {
			return false, t.missing(c.pos, c.key)
		}
		return v == c.lit, nil
	}
}

// missing is the error of a missing key: it names the template and the key,
// never a value.
func (t *tmpl) missing(pos int, key string) error {
	line, col := lineCol(t.src, pos)
	return fmt.Errorf("template %s:%d:%d: no value for key %q", t.name, line, col, key)
}

func lineCol(src string, pos int) (line, col int) {
	before := src[:pos]
	line = 1 + strings.Count(before, "\n")
	col = 1 + len(before) - (strings.LastIndexByte(before, '\n') + 1)
	return line, col
}

// An action is what stands between {{ and }}.
type actionKind uint8

const (
	aEOF    actionKind = iota // end of the source
	aField                    // .key
	aIndex                    // index . "key"
	aIf                       // if COND
	aElse                     // else
	aElseIf                   // else if COND
	aEnd                      // end
)

type action struct {
	kind actionKind
	pos  int    // byte offset of {{ in src
	word string // else / end, for errors
	c    tcase  // aField, aIndex (key, pos), aIf, aElseIf (condition)
}

type tparser struct {
	name string
	src  string
	off  int // parsed up to here
}

// token is one token of an action.
type token struct {
	pos  int
	text string // as written
	str  string // the value of a string literal
	kind tokenKind
}

type tokenKind uint8

const (
	kWord   tokenKind = iota // identifier: if, else, end, index, eq, …
	kField                   // .key (text is the key)
	kDot                     // .
	kString                  // "…" or `…`
)

func (p *tparser) errorf(pos int, format string, args ...any) error {
	line, col := lineCol(p.src, pos)
	return fmt.Errorf("template %s:%d:%d: %s", p.name, line, col, fmt.Sprintf(format, args...))
}

// list parses nodes up to the next else, else if, end or the end of src,
// which it returns.
func (p *tparser) list() ([]tnode, action, error) {
	var nodes []tnode
	for {
		start := p.off
		i := strings.Index(p.src[p.off:], "{{")
		if i < 0 {
			if start < len(p.src) {
				nodes = append(nodes, tnode{kind: tText, text: p.src[start:]})
			}
			p.off = len(p.src)
			return nodes, action{kind: aEOF, pos: len(p.src)}, nil
		}
		if i > 0 {
			nodes = append(nodes, tnode{kind: tText, text: p.src[start : start+i]})
		}
		a, err := p.action(start + i)
		if err != nil {
			return nil, a, err
		}
		switch a.kind {
		case aField:
			nodes = append(nodes, tnode{kind: tField, pos: a.c.pos, text: a.c.key})
		case aIndex:
			nodes = append(nodes, tnode{kind: tIndex, pos: a.c.pos, text: a.c.key})
		case aIf:
			n, err := p.ifNode(a)
			if err != nil {
				return nil, a, err
			}
			nodes = append(nodes, n)
		default: // else, else if, end
			return nodes, a, nil
		}
	}
}

// ifNode parses what follows {{if}} up to its {{end}}.
func (p *tparser) ifNode(open action) (tnode, error) {
	n := tnode{kind: tIf}
	c := open.c
	for {
		body, stop, err := p.list()
		if err != nil {
			return n, err
		}
		c.body = body
		n.branches = append(n.branches, c)
		switch stop.kind {
		case aEnd:
			return n, nil
		case aElseIf:
			c = stop.c
			continue
		case aElse:
			body, stop, err := p.list()
			if err != nil {
				return n, err
			}
			if stop.kind != aEnd {
				if stop.kind == aEOF {
					return n, p.errorf(open.pos, "unclosed {{if}}: no {{end}}")
				}
				return n, p.errorf(stop.pos, "expected {{end}} after {{else}}, found {{%s}}", stop.word)
			}
			n.orElse = body
			return n, nil
		default: // aEOF
			return n, p.errorf(open.pos, "unclosed {{if}}: no {{end}}")
		}
	}
}

// action parses the action at pos ({{) and moves p.off past its }}.
func (p *tparser) action(pos int) (action, error) {
	a := action{pos: pos}
	toks, end, err := p.tokens(pos + 2)
	if err != nil {
		return a, err
	}
	p.off = end
	if len(toks) == 0 {
		return a, p.errorf(pos, "empty action")
	}
	first := toks[0]
	switch {
	case first.kind == kField && len(toks) == 1:
		a.kind, a.c = aField, tcase{kind: cField, pos: first.pos, key: first.text}
		return a, nil
	case first.kind == kWord && first.text == "index":
		c, err := p.cond(pos, toks)
		if err != nil {
			return a, err
		}
		a.kind, a.c = aIndex, c
		return a, nil
	case first.kind == kWord && first.text == "if":
		c, err := p.cond(pos, toks[1:])
		if err != nil {
			return a, err
		}
		a.kind, a.c = aIf, c
		return a, nil
	case first.kind == kWord && first.text == "else":
		a.word = "else"
		if len(toks) == 1 {
			a.kind = aElse
			return a, nil
		}
		if toks[1].kind != kWord || toks[1].text != "if" {
			return a, p.errorf(toks[1].pos, "unexpected %s in {{else}}", toks[1].text)
		}
		c, err := p.cond(pos, toks[2:])
		if err != nil {
			return a, err
		}
		a.kind, a.word, a.c = aElseIf, "else if", c
		return a, nil
	case first.kind == kWord && first.text == "end":
		a.kind, a.word = aEnd, "end"
		if len(toks) > 1 {
			return a, p.errorf(toks[1].pos, "unexpected %s in {{end}}", toks[1].text)
		}
		return a, nil
	case first.kind == kWord:
		return a, p.errorf(first.pos, "unsupported function or keyword %q", first.text)
	default:
		return a, p.errorf(first.pos, "unsupported action starting with %s", first.text)
	}
}

// cond parses a condition: .key, index . "key" or eq .key "literal".
func (p *tparser) cond(pos int, toks []token) (tcase, error) {
	switch {
	case len(toks) == 0:
		return tcase{}, p.errorf(pos, "missing condition")
	case toks[0].kind == kField && len(toks) == 1:
		return tcase{kind: cField, pos: toks[0].pos, key: toks[0].text}, nil
	case toks[0].kind == kWord && toks[0].text == "index":
		if len(toks) != 3 || toks[1].kind != kDot || toks[2].kind != kString {
			return tcase{}, p.errorf(toks[0].pos, `index takes exactly . and a string: {{index . "key"}}`)
		}
		return tcase{kind: cIndex, pos: toks[2].pos, key: toks[2].str}, nil
	case toks[0].kind == kWord && toks[0].text == "eq":
		if len(toks) != 3 || toks[1].kind != kField || toks[2].kind != kString {
			return tcase{}, p.errorf(toks[0].pos, `eq takes exactly a field and a string: eq .key "literal"`)
		}
		return tcase{kind: cEq, pos: toks[1].pos, key: toks[1].text, lit: toks[2].str}, nil
	case toks[0].kind == kWord:
		return tcase{}, p.errorf(toks[0].pos, "unsupported function %q", toks[0].text)
	default:
		return tcase{}, p.errorf(toks[0].pos, "unsupported condition starting with %s", toks[0].text)
	}
}

// tokens splits the action starting at off (just after {{) into tokens and
// returns the offset just after its }}.
func (p *tparser) tokens(off int) ([]token, int, error) {
	src := p.src
	open := off - 2
	if !strings.Contains(src[off:], "}}") {
		return nil, 0, p.errorf(open, "unterminated action: no }}")
	}
	var toks []token
	for {
		for off < len(src) && isSpace(src[off]) {
			off++
		}
		if off >= len(src) {
			return nil, 0, p.errorf(open, "unterminated action: no }}")
		}
		if strings.HasPrefix(src[off:], "}}") {
			return toks, off + 2, nil
		}
		start := off
		var t token
		switch c := src[off]; {
		case c == '"' || c == '`':
			end, err := p.stringEnd(off)
			if err != nil {
				return nil, 0, err
			}
			s, err := strconv.Unquote(src[start:end])
			if err != nil {
				return nil, 0, p.errorf(start, "bad string literal %s", src[start:end])
			}
			t, off = token{kind: kString, str: s}, end
		case c == '.':
			off++
			off = identEnd(src, off)
			if off == start+1 {
				t = token{kind: kDot}
			} else {
				t = token{kind: kField}
			}
		default:
			off = identEnd(src, off)
			if off == start {
				r, _ := utf8.DecodeRuneInString(src[off:])
				if c == '-' {
					return nil, 0, p.errorf(start, "unsupported trim marker or number")
				}
				return nil, 0, p.errorf(start, "unexpected %q in action", r)
			}
			t = token{kind: kWord}
		}
		t.pos, t.text = start, src[start:off]
		if t.kind == kField {
			t.text = src[start+1 : off]
		}
		// Tokens are separated by white space or end at }}.
		if off < len(src) && !isSpace(src[off]) && !strings.HasPrefix(src[off:], "}}") {
			if !strings.Contains(src[off:], "}}") {
				return nil, 0, p.errorf(open, "unterminated action: no }}")
			}
			return nil, 0, p.errorf(off, "unexpected %q after %s", src[off], src[start:off])
		}
		if t.kind == kField && !validIdent(t.text) {
			return nil, 0, p.errorf(start, "bad field name %s", src[start:off])
		}
		toks = append(toks, t)
	}
}

// stringEnd returns the offset just after the string literal at off.
func (p *tparser) stringEnd(off int) (int, error) {
	src, q := p.src, p.src[off]
	for i := off + 1; i < len(src); i++ {
		switch c := src[i]; {
		case c == q:
			return i + 1, nil
		case q == '"' && c == '\\':
			i++
		case q == '"' && c == '\n':
			return 0, p.errorf(off, "unterminated string literal")
		}
	}
	return 0, p.errorf(off, "unterminated string literal")
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\r' || c == '\n' }

// identEnd returns the end of the run of letters, digits and _ at off.
func identEnd(s string, off int) int {
	for off < len(s) {
		r, n := utf8.DecodeRuneInString(s[off:])
		if r != '_' && !unicode.IsLetter(r) && !unicode.IsDigit(r) {
			break
		}
		off += n
	}
	return off
}

// validIdent tells whether s is a field name text/template accepts (it
// does not start with a digit).
func validIdent(s string) bool {
	r, _ := utf8.DecodeRuneInString(s)
	return r == '_' || unicode.IsLetter(r)
}
