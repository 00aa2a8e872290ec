package command

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"sync"

	"github.com/modelcontextprotocol/go-sdk/jsonrpc"
	"github.com/modelcontextprotocol/go-sdk/mcp"
)

// maxMCPLine bounds one JSON-RPC message on standard input; a longer line is answered with an
// error and skipped.
const maxMCPLine = 16 << 20

// stdioTransport is MCP over standard input and output, one JSON-RPC message a line, made to
// survive its clients: a line that is not a JSON-RPC message gets the JSON-RPC error (-32700 when it
// is not JSON, -32600 when it is not a message) and the server goes on; at the end of input every
// request read before it is answered before the connection ends.
type stdioTransport struct {
	in  io.Reader
	out io.Writer
}

func (t *stdioTransport) Connect(context.Context) (mcp.Connection, error) {
	c := &stdioConn{out: t.out, pending: map[jsonrpc.ID]int{}, closed: make(chan struct{}), answered: make(chan struct{}, 1)}
	c.lines = make(chan []byte)
	go c.readLines(bufio.NewReader(t.in))
	return c, nil
}

type stdioConn struct {
	out   io.Writer
	lines chan []byte // nil once the input ended

	mu       sync.Mutex // guards out and pending
	pending  map[jsonrpc.ID]int
	answered chan struct{} // a request was answered

	closeOnce sync.Once
	closed    chan struct{}
}

// readLines sends each line of in (a too-long one as nil) until its end, then closes lines.
func (c *stdioConn) readLines(in *bufio.Reader) {
	defer close(c.lines)
	for {
		var line []byte
		tooLong := false
		for {
			part, err := in.ReadSlice('\n')
			if len(line)+len(part) > maxMCPLine {
				tooLong, line = true, nil
			} else if !tooLong {
				line = append(line, part...)
			}
			if err == bufio.ErrBufferFull {
				continue
			}
			if len(bytes.TrimSpace(line)) > 0 || tooLong {
				if tooLong {
					line = nil
				}
				select {
				case c.lines <- line:
				case <-c.closed:
					return
				}
			}
			if err != nil {
				return
			}
			break
		}
	}
}

func (c *stdioConn) Read(ctx context.Context) (jsonrpc.Message, error) {
	for {
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-c.closed:
			return nil, io.EOF
		case line, ok := <-c.lines:
			if !ok {
				return nil, c.drain(ctx)
			}
			if msg := c.message(line); msg != nil {
				return msg, nil
			}
		}
	}
}

// message decodes one line; a line that is not a message is answered here and gives nil.
func (c *stdioConn) message(line []byte) jsonrpc.Message {
	if line == nil {
		c.reject(nil, jsonrpc.CodeParseError, fmt.Sprintf("parse error: the line is longer than %d MiB", maxMCPLine>>20))
		return nil
	}
	var probe struct {
		ID json.RawMessage `json:"id"`
	}
	if err := json.Unmarshal(line, &probe); err != nil {
		var obj any
		if json.Unmarshal(line, &obj) != nil {
			c.reject(nil, jsonrpc.CodeParseError, "parse error: the line is not JSON")
		} else {
			c.reject(nil, jsonrpc.CodeInvalidRequest, "invalid request: want one JSON-RPC 2.0 object a line (batches are not supported)")
		}
		return nil
	}
	msg, err := jsonrpc.DecodeMessage(line)
	if err != nil {
		c.reject(probe.ID, jsonrpc.CodeInvalidRequest, "invalid request: "+err.Error())
		return nil
	}
	if req, ok := msg.(*jsonrpc.Request); ok && req.IsCall() {
		c.mu.Lock()
		c.pending[req.ID]++
		c.mu.Unlock()
	}
	return msg
}

// reject answers a line that is not a message with the JSON-RPC error; id is the line's, if it had one.
func (c *stdioConn) reject(id json.RawMessage, code int, msg string) {
	if len(id) == 0 {
		id = json.RawMessage("null")
	}
	b, _ := json.Marshal(struct {
		Version string          `json:"jsonrpc"`
		ID      json.RawMessage `json:"id"`
		Error   jsonrpc.Error   `json:"error"`
	}{"2.0", id, jsonrpc.Error{Code: int64(code), Message: msg}})
	c.mu.Lock()
	defer c.mu.Unlock()
	_, _ = c.out.Write(append(b, '\n'))
}

// drain waits, at the end of input, until every request read has been answered.
func (c *stdioConn) drain(ctx context.Context) error {
	for {
		c.mu.Lock()
		n := len(c.pending)
		c.mu.Unlock()
		if n == 0 {
			return io.EOF
		}
		select {
		case <-c.answered:
		case <-ctx.Done():
			return ctx.Err()
		case <-c.closed:
			return io.EOF
		}
	}
}

func (c *stdioConn) Write(ctx context.Context, msg jsonrpc.Message) error {
	data, err := jsonrpc.EncodeMessage(msg)
	if err != nil {
		return fmt.Errorf("mcp: encoding a message: %w", err)
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if _, err := c.out.Write(append(data, '\n')); err != nil {
		return err
	}
	if resp, ok := msg.(*jsonrpc.Response); ok {
		if c.pending[resp.ID]--; c.pending[resp.ID] <= 0 {
			delete(c.pending, resp.ID)
		}
		select {
		case c.answered <- struct{}{}:
		default:
		}
	}
	return nil
}

func (c *stdioConn) Close() error {
	c.closeOnce.Do(func() { close(c.closed) })
	return nil
}

func (c *stdioConn) SessionID() string { return "" }
