"""Tests for the sans-IO HTTP connection, driven with bytes only."""

import random

import h11
import pytest

from slurmrestd_py.http import (
    CLOSED,
    NEED_DATA,
    Connection,
    ProtocolError,
    Request,
    Response,
)


def echo_app(req: Request) -> Response:
    body = f"{req.method} {req.path} ".encode() + req.body
    return Response(200, [("Content-Type", "text/plain")], body)


def error_response(ev: ProtocolError) -> Response:
    return Response(ev.status, [("Content-Type", "text/plain")], ev.message.encode())


def serve(chunks, app=echo_app, **limits):
    """Run the documented driver loop over byte chunks; EOF after the last.

    Returns (output bytes, events seen, number of chunks read, connection).
    """
    conn = Connection(**limits)
    pending = list(chunks)
    out, events, reads = [], [], 0
    while True:
        ev = conn.next_event()
        if ev is NEED_DATA:
            early = conn.data_to_send()
            if early:
                out.append(early)
            conn.receive_data(pending.pop(0) if pending else b"")
            reads += 1
            continue
        events.append(ev)
        if ev is CLOSED:
            break
        if isinstance(ev, ProtocolError):
            out.extend(conn.send(error_response(ev)))
            break
        out.extend(conn.send(app(ev), ev))
        if not conn.keep_alive:
            break
    return b"".join(out), events, reads, conn


def parse(out: bytes, methods=("GET",)):
    """Parse server output as an h11 client; one (informational, response, body)
    per method, stopping early if the connection closes."""
    client = h11.Connection(h11.CLIENT)
    client.receive_data(out)
    client.receive_data(b"")
    results = []
    for method in methods:
        client.send(h11.Request(method=method, target="/", headers=[("Host", "x")]))
        client.send(h11.EndOfMessage())
        info, resp, body = [], None, b""
        while True:
            ev = client.next_event()
            if isinstance(ev, h11.InformationalResponse):
                info.append(ev)
            elif isinstance(ev, h11.Response):
                resp = ev
            elif isinstance(ev, h11.Data):
                body += ev.data
            else:
                assert isinstance(ev, h11.EndOfMessage), ev
                break
        results.append((info, resp, body))
        if client.our_state is h11.DONE and client.their_state is h11.DONE:
            client.start_next_cycle()
        else:
            break
    assert client.trailing_data[0] == b"", "bytes left after the last response"
    return results


def header_values(resp: h11.Response, name: bytes):
    return [v for n, v in resp.headers if n == name]


GET = b"GET /slurm/v0.0.38/ping?x=1 HTTP/1.1\r\nHost: h\r\n\r\n"


def test_simple_get():
    out, events, _, _ = serve([GET])
    assert out.startswith(b"HTTP/1.1 200 OK\r\n")
    [(info, resp, body)] = parse(out)
    assert not info
    assert resp.status_code == 200
    assert body == b"GET /slurm/v0.0.38/ping "
    assert header_values(resp, b"content-length") == [str(len(body)).encode()]
    assert header_values(resp, b"connection") == []
    assert events[-1] is CLOSED


def test_request_fields():
    raw = (
        b"GET /a%20b?q=1&r=2 HTTP/1.1\r\nHost: h\r\nX-Multi: one\r\n"
        b"x-multi: two\r\nX-Latin: \xe9\r\n\r\n"
    )
    _, events, _, _ = serve([raw])
    req = events[0]
    assert req.method == "GET"
    assert req.target == "/a%20b?q=1&r=2"
    assert req.path == "/a%20b"
    assert req.query == "q=1&r=2"
    assert req.http_version == "1.1"
    assert req.headers == [
        ("host", "h"),
        ("x-multi", "one"),
        ("x-multi", "two"),
        ("x-latin", "\xe9"),
    ]
    assert req.header("X-MULTI") == "one, two"
    assert req.header("missing") is None
    assert req.body == b""


def test_query_empty_without_question_mark():
    _, events, _, _ = serve([b"GET /p HTTP/1.1\r\nHost: h\r\n\r\n"])
    assert events[0].path == "/p" and events[0].query == ""


def test_pipelined_requests_in_one_chunk():
    data = (
        b"GET /one HTTP/1.1\r\nHost: h\r\n\r\n"
        b"POST /two HTTP/1.1\r\nHost: h\r\nContent-Length: 3\r\n\r\nabc"
        b"GET /three HTTP/1.1\r\nHost: h\r\n\r\n"
    )
    out, events, reads, _ = serve([data])
    assert [e.path for e in events[:-1]] == ["/one", "/two", "/three"]
    bodies = [b for _, _, b in parse(out, ["GET", "POST", "GET"])]
    assert bodies == [b"GET /one ", b"POST /two abc", b"GET /three "]
    assert reads == 2  # the data, then EOF


def test_keep_alive_across_reads():
    out, events, _, conn = serve([GET, b"GET /again HTTP/1.1\r\nHost: h\r\n\r\n"])
    assert [e.path for e in events[:-1]] == ["/slurm/v0.0.38/ping", "/again"]
    assert len(parse(out, ["GET", "GET"])) == 2
    assert events[-1] is CLOSED


def test_request_split_byte_by_byte():
    data = b"POST /x HTTP/1.1\r\nHost: h\r\nContent-Length: 5\r\n\r\nhello"
    out, events, _, _ = serve([bytes([b]) for b in data])
    assert events[0].body == b"hello"
    assert parse(out)[0][2] == b"POST /x hello"


def test_http10_closes():
    data = b"GET /a HTTP/1.0\r\n\r\nGET /b HTTP/1.0\r\n\r\n"
    out, events, _, conn = serve([data])
    assert len(events) == 1 and events[0].http_version == "1.0"
    assert not conn.keep_alive
    assert out.startswith(b"HTTP/1.1 200 OK\r\n")
    assert out.count(b"Connection: close\r\n") == 1
    assert conn.next_event() is CLOSED


def test_http10_keep_alive_request_still_closes():
    # h11 does not implement HTTP/1.0 keep-alive; closing is always correct.
    out, _, _, conn = serve([b"GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n"])
    assert not conn.keep_alive
    assert out.count(b"Connection: close\r\n") == 1


def test_http10_post_without_length_is_empty_body():
    _, events, _, _ = serve([b"POST /x HTTP/1.0\r\n\r\n"])
    assert isinstance(events[0], Request) and events[0].body == b""


def test_client_connection_close():
    data = (
        b"GET /a HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n"
        b"GET /b HTTP/1.1\r\nHost: h\r\n\r\n"
    )
    out, events, _, conn = serve([data])
    assert len(events) == 1
    assert not conn.keep_alive
    body = b"GET /a "
    assert out.count(b"onnection: close") == 1
    assert out.endswith(b"\r\n\r\n" + body)  # nothing after the body
    [(_, resp, got)] = parse(out)
    assert header_values(resp, b"connection") == [b"close"]
    assert got == body


def test_response_close_flag():
    app = lambda req: Response(200, body=b"bye", close=True)  # noqa: E731
    out, events, _, conn = serve([GET + GET], app=app)
    assert len(events) == 1
    assert not conn.keep_alive
    assert out == (
        b"HTTP/1.1 200 OK\r\nContent-Length: 3\r\nConnection: close\r\n\r\nbye"
    )
    assert conn.next_event() is CLOSED


def test_app_framing_headers_are_replaced():
    app = lambda req: Response(  # noqa: E731
        200,
        [("Content-Length", "999"), ("Connection", "close"), ("X-A", "1")],
        b"ok",
    )
    out, _, _, conn = serve([GET], app=app)
    assert out == (
        b"HTTP/1.1 200 OK\r\nX-A: 1\r\nContent-Length: 2\r\n"
        b"Connection: close\r\n\r\nok"
    )
    assert not conn.keep_alive


def test_head_has_content_length_but_no_body():
    out, events, _, conn = serve(
        [b"HEAD /h HTTP/1.1\r\nHost: h\r\n\r\n" + GET]
    )
    length = len(b"HEAD /h ")
    first = b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: %d\r\n\r\n"
    assert out.startswith(first % length + b"HTTP/1.1 200 OK\r\n")
    [(_, h, hb), (_, g, gb)] = parse(out, ["HEAD", "GET"])
    assert hb == b"" and header_values(h, b"content-length") == [b"%d" % length]
    assert gb == b"GET /slurm/v0.0.38/ping "


def test_head_with_streamed_body_sends_no_body():
    consumed = []

    def gen():
        consumed.append(True)
        yield b"data"

    app = lambda req: Response(200, body=gen())  # noqa: E731
    out, _, _, conn = serve([b"HEAD / HTTP/1.1\r\nHost: h\r\n\r\n"], app=app)
    assert out == b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
    assert not consumed
    assert conn.keep_alive


def test_204_has_no_content_length():
    out, _, _, conn = serve([GET], app=lambda req: Response(204))
    assert out == b"HTTP/1.1 204 No Content\r\n\r\n"
    assert conn.keep_alive


def test_unknown_status_has_empty_reason():
    out, _, _, _ = serve([GET], app=lambda req: Response(299))
    assert out.startswith(b"HTTP/1.1 299 \r\n")


EXPECT = (
    b"POST /e HTTP/1.1\r\nHost: h\r\nExpect: 100-continue\r\n"
    b"Content-Length: 4\r\n\r\n"
)


def test_expect_100_continue_when_body_pending():
    out, events, _, _ = serve([EXPECT, b"da", b"ta"])
    assert out.startswith(b"HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\n")
    assert out.count(b" 100 ") == 1
    [(info, resp, body)] = parse(out, ["POST"])
    assert [i.status_code for i in info] == [100]
    assert body == b"POST /e data"


def test_expect_100_continue_not_sent_when_body_already_here():
    out, _, _, _ = serve([EXPECT + b"data"])
    assert out.startswith(b"HTTP/1.1 200 OK\r\n")
    assert b"100 Continue" not in out


def test_data_to_send_empty_when_nothing_pending():
    conn = Connection()
    assert conn.data_to_send() == b""
    conn.receive_data(EXPECT)
    assert conn.next_event() is NEED_DATA
    assert conn.data_to_send() == b"HTTP/1.1 100 Continue\r\n\r\n"
    assert conn.data_to_send() == b""


def test_expect_with_oversized_length_refused_without_100():
    raw = (
        b"POST /e HTTP/1.1\r\nHost: h\r\nExpect: 100-continue\r\n"
        b"Content-Length: 1001\r\n\r\n"
    )
    out, events, reads, conn = serve([raw, b"x" * 1001], max_body_bytes=1000)
    assert reads == 1  # the body was never read
    assert isinstance(events[0], ProtocolError) and events[0].status == 413
    assert b"100 Continue" not in out
    [(info, resp, body)] = parse(out, ["POST"])
    assert not info and resp.status_code == 413
    assert b"1001" in body and b"1000" in body
    assert header_values(resp, b"connection") == [b"close"]
    assert not conn.keep_alive


def test_oversized_content_length_refused_before_body():
    raw = b"PUT /p HTTP/1.1\r\nHost: h\r\nContent-Length: 52428801\r\n\r\n"
    _, events, reads, _ = serve([raw])
    assert reads == 1
    assert events[0].status == 413
    assert "52428800" in events[0].message


def test_body_at_limit_accepted():
    raw = b"PUT /p HTTP/1.1\r\nHost: h\r\nContent-Length: 10\r\n\r\n0123456789"
    _, events, _, _ = serve([raw], max_body_bytes=10)
    assert events[0].body == b"0123456789"


def chunked(parts):
    body = b"".join(b"%x\r\n%s\r\n" % (len(p), p) for p in parts)
    return (
        b"POST /c HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n"
        + body
        + b"0\r\n\r\n"
    )


def test_chunked_request_body_reassembled():
    raw = chunked([b"hello ", b"chunked ", b"world"])
    _, events, _, _ = serve([raw[i : i + 7] for i in range(0, len(raw), 7)])
    assert events[0].body == b"hello chunked world"
    assert events[0].header("transfer-encoding") == "chunked"


def test_chunked_request_body_over_limit():
    raw = chunked([b"a" * 60, b"b" * 60])
    out, events, _, conn = serve([raw], max_body_bytes=100)
    assert events[0] == ProtocolError(413, "Request body exceeds 100 bytes")
    [(_, resp, body)] = parse(out, ["POST"])
    assert resp.status_code == 413 and body == b"Request body exceeds 100 bytes"
    assert not conn.keep_alive
    assert conn.next_event() is CLOSED


@pytest.mark.parametrize("method", [b"POST", b"PUT", b"PATCH"])
def test_length_required(method):
    out, events, _, _ = serve([method + b" /x HTTP/1.1\r\nHost: h\r\n\r\n"])
    assert events[0].status == 411
    assert events[0].message.startswith("Length Required: ")
    assert parse(out, [method.decode()])[0][1].status_code == 411


def test_get_without_length_is_fine():
    _, events, _, _ = serve([b"DELETE /x HTTP/1.1\r\nHost: h\r\n\r\n"])
    assert isinstance(events[0], Request) and events[0].body == b""


def test_huge_header_block_in_pieces():
    raw = b"GET / HTTP/1.1\r\nHost: h\r\n" + b"X-Big: " + b"a" * 2000
    out, events, _, _ = serve(
        [raw[i : i + 100] for i in range(0, len(raw), 100)], max_header_bytes=1024
    )
    assert events[0].status == 431
    assert "1024" in events[0].message
    assert parse(out)[0][1].status_code == 431


def test_huge_header_block_in_one_read():
    raw = b"GET / HTTP/1.1\r\nHost: h\r\nX-Big: " + b"a" * 2000 + b"\r\n\r\n"
    _, events, _, _ = serve([raw], max_header_bytes=1024)
    assert events[0].status == 431


def test_default_header_limit():
    raw = b"GET / HTTP/1.1\r\nHost: h\r\nX-Big: " + b"a" * (64 * 1024) + b"\r\n\r\n"
    _, events, _, _ = serve([raw])
    assert events[0].status == 431


def test_garbage_request_line():
    out, events, _, conn = serve([b"GARBAGE\r\n\r\n"])
    assert events[0].status == 400
    assert events[0].message == "Bad Request: illegal request line: 'GARBAGE'"
    assert out.startswith(b"HTTP/1.1 400 Bad Request\r\n")
    [(_, resp, body)] = parse(out)
    assert body == b"Bad Request: illegal request line: 'GARBAGE'"
    assert header_values(resp, b"connection") == [b"close"]
    assert not conn.keep_alive
    assert conn.next_event() is CLOSED


def test_long_garbage_is_quoted_briefly():
    _, events, _, _ = serve([b"\x01" * 500 + b"\r\n\r\n"])
    assert events[0].status == 400
    assert len(events[0].message) < 200


@pytest.mark.parametrize(
    "raw, status, text",
    [
        (b"GET / HTTP/2.0\r\nHost: h\r\n\r\n", 505, "HTTP/2.0"),
        (b"GET / HTTP/0.9\r\n\r\n", 505, "HTTP/0.9"),
        (b"GET / HTTP/1.1x\r\nHost: h\r\n\r\n", 400, "request line"),
        (b"GET / HTTP/1.1\r\n\r\n", 400, "Host"),
        (b"GET / HTTP/1.1\r\nHost: h\r\nContent-Length: x\r\n\r\n", 400, "Content-Length"),
        (
            b"GET / HTTP/1.1\r\nHost: h\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n",
            400,
            "Content-Length",
        ),
        (b"GET / HTTP/1.1\r\nHost: h\r\nBad Header: x\r\n\r\n", 400, "Bad Header"),
        (
            b"POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: gzip\r\n\r\n",
            501,
            "Transfer-Encoding",
        ),
        (chunked([b"ab"]).replace(b"2\r\nab", b"zz\r\nab"), 400, "chunk"),
        (b"CONNECT h:443 HTTP/1.1\r\nHost: h:443\r\n\r\n", 501, "CONNECT"),
    ],
)
def test_malformed_requests(raw, status, text):
    out, events, _, conn = serve([raw])
    ev = events[0]
    assert isinstance(ev, ProtocolError)
    assert ev.status == status
    assert text.lower() in ev.message.lower()
    [(_, resp, body)] = parse(out)
    assert resp.status_code == status and body == ev.message.encode()
    assert not conn.keep_alive


def test_error_after_good_request():
    data = GET + b"BAD\r\n\r\n"
    out, events, _, _ = serve([data])
    assert isinstance(events[0], Request)
    assert events[1].status == 400
    codes = [r.status_code for _, r, _ in parse(out, ["GET", "GET"])]
    assert codes == [200, 400]


@pytest.mark.parametrize(
    "chunks",
    [
        [b"GET / HTT"],
        [b"GET / HTTP/1.1\r\nHost: h\r\n"],
        [b"POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 10\r\n\r\nabc"],
        [chunked([b"abc"])[:-5]],
        [GET + b"GET /second HTTP/1.1\r\n"],
    ],
)
def test_eof_mid_request_is_a_400(chunks):
    out, events, _, conn = serve(chunks)
    assert events[-1].status == 400 and "before it was complete" in events[-1].message
    assert [r.status_code for _, r, _ in parse(out, ["GET"] * len(events))][-1] == 400
    assert not conn.keep_alive


def test_eof_before_any_byte_is_closed_silently():
    out, events, _, conn = serve([])
    assert out == b"" and events == [CLOSED]
    assert conn.next_event() is CLOSED


def test_eof_after_complete_request_still_answers():
    out, events, _, _ = serve([GET])
    assert isinstance(events[0], Request) and events[1] is CLOSED
    assert parse(out)[0][1].status_code == 200


def test_data_after_eof_is_a_caller_error():
    conn = Connection()
    conn.receive_data(b"")
    with pytest.raises(RuntimeError):
        conn.receive_data(b"x")


def test_streamed_body_chunked_for_http11():
    parts = [b"first ", b"", b"second ", b"third"]
    app = lambda req: Response(200, body=iter(parts))  # noqa: E731
    out, _, _, _ = serve([GET + GET], app=app)
    first = out[: out.index(b"HTTP/1.1", 1)]
    assert first == (
        b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
        b"6\r\nfirst \r\n7\r\nsecond \r\n5\r\nthird\r\n0\r\n\r\n"
    )
    results = parse(out, ["GET", "GET"])
    assert [b for _, _, b in results] == [b"first second third"] * 2


def test_streamed_body_yields_each_chunk_lazily():
    produced = []

    def gen():
        for i in range(3):
            produced.append(i)
            yield b"x" * 10
        yield b""

    conn = Connection()
    conn.receive_data(GET)
    req = conn.next_event()
    stream = conn.send(Response(200, body=gen()), req)
    assert next(stream).startswith(b"HTTP/1.1 200 OK\r\n")
    assert produced == []
    assert next(stream) == b"a\r\n" + b"x" * 10 + b"\r\n"
    assert produced == [0]
    assert not conn.keep_alive  # mid-response
    assert list(stream) == [b"a\r\n" + b"x" * 10 + b"\r\n"] * 2 + [b"0\r\n\r\n"]
    assert conn.keep_alive


def test_streamed_body_close_delimited_for_http10():
    app = lambda req: Response(200, body=[b"ab", b"cd"])  # noqa: E731
    out, _, _, conn = serve([b"GET / HTTP/1.0\r\n\r\n"], app=app)
    assert out == b"HTTP/1.1 200 OK\r\nConnection: close\r\n\r\nabcd"
    assert not conn.keep_alive


def test_aborted_stream_is_not_keep_alive():
    conn = Connection()
    conn.receive_data(GET)
    req = conn.next_event()

    def broken():
        yield b"part"
        raise OSError("backend failed")

    stream = conn.send(Response(200, body=broken()), req)
    next(stream)
    next(stream)
    with pytest.raises(OSError):
        next(stream)
    assert not conn.keep_alive
    assert conn.next_event() is CLOSED


def test_upgrade_request_answered_normally_keeps_alive():
    raw = b"GET /u HTTP/1.1\r\nHost: h\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n"
    out, events, _, _ = serve([raw + GET])
    assert [e.path for e in events[:-1]] == ["/u", "/slurm/v0.0.38/ping"]
    assert len(parse(out, ["GET", "GET"])) == 2


def test_random_input_never_raises():
    rng = random.Random(1234)
    alphabet = b"GET POST HTTP/1.1\r\n:Host Content-Length 0123456789 chunked ?/\x00\xff"
    for _ in range(300):
        data = bytes(rng.choice(alphabet) for _ in range(rng.randint(0, 120)))
        cut = rng.randint(0, len(data))
        chunks = [c for c in (data[:cut], data[cut:]) if c]
        _, events, _, _ = serve(chunks, max_body_bytes=20)
        assert events[-1] is CLOSED or isinstance(events[-1], (Request, ProtocolError))


# ---- malformed input: errors answered, framing hardened (issue 9) ----

@pytest.mark.parametrize(
    "raw, status",
    [
        (b"HEAD / HTTP/2.0\r\nHost: h\r\n\r\n", 505),
        (b"HEAD / HTTP/1.1\r\nHost: h\r\nX: " + b"a" * 70000 + b"\r\n\r\n", 431),
        (b"HEAD / HTTP/1.1\r\nHost: h\r\nContent-Length: 60000000\r\n\r\n", 413),
        (b"HEAD / HTTP/1.1\r\nHost: h\r\nContent-Length: 1\r\n"
         b"Transfer-Encoding: chunked\r\n\r\n0\r\n\r\n", 400),
    ],
)
def test_error_answer_to_head_has_no_body(raw, status):
    out, events, _, conn = serve([raw])
    assert events[0].status == status
    [(_, resp, body)] = parse(out, ["HEAD"])
    assert resp.status_code == status and body == b""
    assert header_values(resp, b"content-length") == [b"%d" % len(events[0].message)]
    assert not conn.keep_alive


def test_http_1_2_is_served_as_1_1():
    out, events, _, conn = serve([b"HEAD /slurm/v0.0.38/ping HTTP/1.2\r\nHost: x\r\n\r\n" + GET])
    assert [e.http_version for e in events[:2]] == ["1.1", "1.1"]
    [(_, h, hb), (_, g, _)] = parse(out, ["HEAD", "GET"])
    assert (h.status_code, hb, g.status_code) == (200, b"", 200)


def test_absolute_form_target_is_served_by_its_path():
    out, events, _, _ = serve([b"GET http://host:80/slurm/v0.0.38/ping?a=1 HTTP/1.1\r\nHost: x\r\n\r\n",
                               b"GET https://host HTTP/1.1\r\nHost: x\r\n\r\n"])
    assert (events[0].path, events[0].query, events[0].target) == (
        "/slurm/v0.0.38/ping", "a=1", "/slurm/v0.0.38/ping?a=1")
    assert events[1].path == "/"


def test_chunked_with_content_length_is_refused_and_closes():
    smuggled = (b"POST /c HTTP/1.1\r\nHost: h\r\nContent-Length: 4\r\n"
                b"Transfer-Encoding: chunked\r\n\r\n0\r\n\r\n" + GET)
    out, events, _, conn = serve([smuggled])
    assert events[0].status == 400 and "Content-Length" in events[0].message
    [(_, resp, _)] = parse(out)
    assert resp.status_code == 400 and header_values(resp, b"connection") == [b"close"]
    assert len(events) == 1 and not conn.keep_alive  # the pipelined GET is never read


def test_transfer_encoding_on_http_1_0_is_refused():
    raw = b"POST /c HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n"
    out, events, _, conn = serve([raw])
    assert events[0].status == 400 and "HTTP/1.0" in events[0].message
    assert not conn.keep_alive


def test_over_long_path_is_414_and_query_is_not_counted():
    out, events, _, _ = serve([b"GET /" + b"a/" * 5000 + b" HTTP/1.1\r\nHost: h\r\n\r\n"])
    assert events[0].status == 414
    _, events, _, _ = serve([b"GET /x?" + b"a" * 20000 + b" HTTP/1.1\r\nHost: h\r\n\r\n"])
    assert isinstance(events[0], Request)


def test_head_refused_before_its_request_line_ends_has_no_body():
    out, events, _, _ = serve([b"HEAD / HTTP/1.1\r\nHost: h\r\nX: " + b"a" * 70000])
    assert events[0].status == 431
    assert out.endswith(b"Connection: close\r\n\r\n")


def test_head_with_a_refused_request_line_has_no_body():
    out, events, _, _ = serve([b"HEAD / HTTP/x\r\nHost: h\r\n\r\n"])
    assert events[0].status == 400 and out.endswith(b"Connection: close\r\n\r\n")
    out, events, _, _ = serve([GET + b"HEAD / HTTP/x\r\nHost: h\r\n\r\n"])
    assert events[1].status == 400 and out.endswith(b"Connection: close\r\n\r\n")


def test_two_host_headers_are_a_400():
    _, events, _, _ = serve([b"GET / HTTP/1.1\r\nHost: a\r\nHost: a\r\n\r\n"])
    assert events[0].status == 400 and "Host" in events[0].message
