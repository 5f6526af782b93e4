package http1

import (
	"encoding/json"
	"fmt"
	"strconv"
	"time"
)

// Error returns status and the body {"error": message}, for a handler to
// return as its answer:
//
//	return http1.Error(400, "since: %v", err)
func Error(status int, format string, args ...any) (int, any) {
	return status, errorBody{fmt.Sprintf(format, args...)}
}

type errorBody struct {
	Error string `json:"error"`
}

// response is an answer ready to be written.
type response struct {
	status int
	body   []byte // JSON and a newline; nil for none
	allow  string // the Allow header of a 405
}

func errorResponse(status int, msg string) response {
	b, _ := json.Marshal(errorBody{msg})
	return response{status: status, body: append(b, '\n')}
}

// encode turns a handler's answer into a response. The error says what
// was wrong with an answer that became a 500.
func encode(status int, v any) (response, error) {
	if status < 200 || status > 599 {
		return errorResponse(500, "internal error"), fmt.Errorf("handler returned status %d", status)
	}
	if err, ok := v.(error); ok {
		v = errorBody{err.Error()}
	}
	if v == nil || status == 204 || status == 304 {
		// 204 and 304 have no body (RFC 9110 §15.3.5, §15.4.5).
		return response{status: status}, nil
	}
	b, err := json.Marshal(v)
	if err != nil {
		return errorResponse(500, "internal error"), fmt.Errorf("encode %T: %w", v, err)
	}
	return response{status: status, body: append(b, '\n')}, nil
}

// bytes formats the response: the status line, header and body.
func (r response) bytes(now time.Time) []byte {
	b := make([]byte, 0, 192+len(r.body))
	b = append(b, "HTTP/1.1 "...)
	b = strconv.AppendInt(b, int64(r.status), 10)
	b = append(b, ' ')
	b = append(b, reason(r.status)...)
	b = append(b, "\r\nDate: "...)
	b = now.UTC().AppendFormat(b, "Mon, 02 Jan 2006 15:04:05 GMT")
	if r.allow != "" {
		b = append(b, "\r\nAllow: "...)
		b = append(b, r.allow...)
	}
	if r.body != nil {
		b = append(b, "\r\nContent-Type: application/json"...)
	}
	if r.status != 204 && r.status != 304 {
		b = append(b, "\r\nContent-Length: "...)
		b = strconv.AppendInt(b, int64(len(r.body)), 10)
	}
	b = append(b, "\r\nConnection: close\r\n\r\n"...)
	return append(b, r.body...)
}

// reason returns the reason phrase of the statuses an API is likely to
// use; it is optional (RFC 9112 §4), so others get none.
func reason(status int) string {
	switch status {
	case 200:
		return "OK"
	case 201:
		return "Created"
	case 202:
		return "Accepted"
	case 204:
		return "No Content"
	case 304:
		return "Not Modified"
	case 400:
		return "Bad Request"
	case 401:
		return "Unauthorized"
	case 403:
		return "Forbidden"
	case 404:
		return "Not Found"
	case 405:
		return "Method Not Allowed"
	case 408:
		return "Request Timeout"
	case 409:
		return "Conflict"
	case 411:
		return "Length Required"
	case 413:
		return "Content Too Large"
	case 415:
		return "Unsupported Media Type"
	case 417:
		return "Expectation Failed"
	case 422:
		return "Unprocessable Content"
	case 429:
		return "Too Many Requests"
	case 431:
		return "Request Header Fields Too Large"
	case 500:
		return "Internal Server Error"
	case 501:
		return "Not Implemented"
	case 503:
		return "Service Unavailable"
	case 505:
		return "HTTP Version Not Supported"
	}
	return ""
}
