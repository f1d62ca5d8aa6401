"""A fault-injection web for the fetch tests: one small HTTP server per fault, all on 127.0.0.1.

Each fault is a host of its own, named ``<fault>.faults.test``: ``FaultWeb.resolve`` answers every such
name with a made-up public address and ``FaultWeb.connect`` dials that address on the fault's port at
127.0.0.1, so the client's SSRF guard is really on (no source needs ``allow_private``) and nothing ever
leaves the machine. ``internal.faults.test`` resolves to a private address, as an internal host would.

Every server is bounded: the slow host waits at most ``SLOW_SECONDS``, the endless body stops when the
client hangs up or after ``ENDLESS_LIMIT`` bytes, and the whole web stops with ``close()``. Each host
counts its requests per path, the conditional ones (If-None-Match or If-Modified-Since), their start
times, and the most requests it had in flight at once.
"""

from __future__ import annotations

import socket
import struct
import threading
import time
import zlib
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Self
from xml.sax.saxutils import escape

from .local_http import QuietHandler

PUBLIC_IP = "93.184.215.14"  # what every *.faults.test name resolves to (never dialled for real)
INTERNAL_IP = "10.0.0.7"
SLOW_SECONDS = 8.0
ENDLESS_LIMIT = 50_000_000
BOMB_DECODED = 100_000_000  # 100 MB of zeros, about 100 KB on the wire
NOW = datetime(2026, 11, 21, 4, 0, tzinfo=UTC)  # 12:00 in Shanghai, the clock the tests pass

GBK_ONLY = "镕喆"


@dataclass(frozen=True)
class Item:
    slug: str
    title: str
    text: str
    pub: str | None  # as the feed prints it
    expected: datetime | None  # the published time it must be read as (UTC); None: estimated


def _zh_paragraphs(topic: str) -> str:
    return (
        f"{topic}。国家数据局有关负责人在新闻发布会上介绍，全国一体化算力网建设取得积极进展，"
        "智能算力规模持续增长，东数西算工程八大枢纽节点建设加快推进。"
        "\n\n下一步将推动算力资源跨区域调度，降低算力使用成本，支持人工智能大模型训练和推理需求，"
        "同时加强数据中心绿色低碳发展，新建大型数据中心电能利用效率降至1.25以下。"
    )


def _en_text(topic: str) -> str:
    return (
        f"{topic}. The operator said the new capacity entered service this week and that more is planned. "
        "Engineers described the cooling and power arrangements in detail, and officials said the project "
        "fits the national plan for computing infrastructure. " * 3
    )


HEALTHY_EN = [
    Item(
        "hub",
        "Guizhou hub passes 50,000 PFLOPS",
        _en_text("The Guizhou hub passed 50,000 PFLOPS"),
        "Tue, 17 Nov 2026 09:30:00 +0800",
        datetime(2026, 11, 17, 1, 30, tzinfo=UTC),
    ),
    Item(
        "uhv",
        "UHV line enters service",
        _en_text("An 800 kV line entered service"),
        "2026-11-18T10:00:00+08:00",
        datetime(2026, 11, 18, 2, 0, tzinfo=UTC),
    ),
    Item(
        "hbm",
        "HBM line starts volume production",
        _en_text("An HBM line started volume production"),
        "Thu, 19 Nov 2026 08:00:00 GMT",
        datetime(2026, 11, 19, 8, 0, tzinfo=UTC),
    ),
]
HEALTHY_ZH = [  # teasers in the feed, text on the article pages; Chinese date forms, read in Asia/Shanghai
    Item(
        "suanli",
        "全国智能算力规模超50万PFLOPS",
        _zh_paragraphs("全国智能算力规模超过50万PFLOPS"),
        "2026年11月20日 14:30",
        datetime(2026, 11, 20, 6, 30, tzinfo=UTC),
    ),
    Item(
        "dianwang",
        "特高压工程年内再投运两条线路",
        _zh_paragraphs("特高压工程年内再投运两条线路"),
        "3小时前",
        datetime(2026, 11, 21, 1, 0, tzinfo=UTC),
    ),
    Item(
        "xinpian",
        "国产高带宽存储芯片实现量产",
        _zh_paragraphs("国产高带宽存储芯片实现量产"),
        "昨天 09:15",
        datetime(2026, 11, 20, 1, 15, tzinfo=UTC),
    ),
    Item("weizhi", "量子通信网络完成新一轮测试", _zh_paragraphs("量子通信网络完成新一轮测试"), None, None),
]
GB2312_ITEMS = [
    Item(
        "wangrong",
        "王镕：储能电站通过市场获得合理收益",
        "国家电网能源研究院专家王镕表示，储能电站应通过市场获得合理收益。李喆团队发表了论文。"
        f"{_zh_paragraphs('新型储能装机规模增长') * 3}",
        "Fri, 20 Nov 2026 10:00:00 +0800",
        datetime(2026, 11, 20, 2, 0, tzinfo=UTC),
    ),
    Item(
        "lizhe",
        "李喆团队发表钠离子电池论文",
        f"中国科学院研究员李喆团队在《自然·能源》发表论文。{_zh_paragraphs('钠离子电池正极材料取得进展') * 3}",
        "Thu, 19 Nov 2026 10:00:00 +0800",
        datetime(2026, 11, 19, 2, 0, tzinfo=UTC),
    ),
]
BIG5_ITEMS = [
    Item(
        "tsmc",
        "臺灣積體電路製造公司宣布擴產",
        "臺灣積體電路製造公司宣布擴產，先進製程產能持續增加。" * 20,
        "Wed, 18 Nov 2026 09:00:00 +0800",
        datetime(2026, 11, 18, 1, 0, tzinfo=UTC),
    ),
    Item(
        "guangdian",
        "量子電腦研究團隊發表新成果",
        "量子電腦研究團隊發表新成果，實驗結果刊登於國際期刊。" * 20,
        "Tue, 17 Nov 2026 15:00:00 +0800",
        datetime(2026, 11, 17, 7, 0, tzinfo=UTC),
    ),
]
RETRY_ITEMS = [
    Item(
        "tokens",
        "Daily token calls pass 30 trillion",
        _en_text("Daily token calls passed 30 trillion"),
        "Fri, 20 Nov 2026 12:00:00 +0800",
        datetime(2026, 11, 20, 4, 0, tzinfo=UTC),
    )
]
TRUNCATED_ITEMS = [
    Item(
        "first",
        "First story survives the cut",
        _en_text("The first story survived"),
        "Mon, 16 Nov 2026 09:00:00 +0800",
        datetime(2026, 11, 16, 1, 0, tzinfo=UTC),
    ),
    Item(
        "second",
        "Second story survives the cut",
        _en_text("The second story survived"),
        "Mon, 16 Nov 2026 10:00:00 +0800",
        datetime(2026, 11, 16, 2, 0, tzinfo=UTC),
    ),
]
MISLABELLED_ITEMS = [
    Item(
        "biaoqian",
        "数据中心绿色发展行动计划发布",
        _zh_paragraphs("数据中心绿色发展行动计划发布") * 3,
        "2026-11-19 08:00",
        datetime(2026, 11, 19, 0, 0, tzinfo=UTC),
    )
]
METADATA_LINK_ITEMS = [
    Item(
        "safe",
        "A safe story beside a hostile link",
        _en_text("A safe story"),
        "Wed, 18 Nov 2026 09:00:00 +0800",
        datetime(2026, 11, 18, 1, 0, tzinfo=UTC),
    ),
]


@dataclass
class Host:
    """One fault's server and what it saw."""

    name: str
    port: int = 0
    hits: Counter[str] = field(default_factory=Counter)
    conditional: Counter[str] = field(default_factory=Counter)
    starts: dict[str, list[float]] = field(default_factory=dict)
    in_flight: int = 0
    max_in_flight: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def netloc(self) -> str:
        return f"{self.name}.faults.test:{self.port}"

    def url(self, path: str = "/feed.xml") -> str:
        return f"http://{self.netloc}{path}"


#: The faults, and the ones whose stories are healthy (``HEALTHY[fault]`` are the items to be stored).
FAULTS = (
    "healthy-en", "healthy-zh", "gb2312", "big5", "retry-after", "truncated", "mislabelled", "hostile-link",
    "slow", "server-error", "gzip-bomb", "endless", "entity-bomb", "redirect-loop", "html-not-feed", "empty",
    "reset", "robots-disallow", "to-metadata", "to-loopback", "to-internal", "garbled",
)
HEALTHY: dict[str, list[Item]] = {
    "healthy-en": HEALTHY_EN,
    "healthy-zh": HEALTHY_ZH,
    "gb2312": GB2312_ITEMS,
    "big5": BIG5_ITEMS,
    "retry-after": RETRY_ITEMS,
    "truncated": TRUNCATED_ITEMS,
    "mislabelled": MISLABELLED_ITEMS,
    "hostile-link": METADATA_LINK_ITEMS,
}
#: Sources whose feed carries teasers only, so their article pages are read too.
TEASERS = {"healthy-zh", "hostile-link"}


def rss(host: Host, items: list[Item], *, full: bool = True, declared: str = "utf-8", extra: str = "") -> str:
    out = [
        f'<?xml version="1.0" encoding="{declared}"?>',
        '<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">',
        f"<channel><title>{host.name}</title><link>{host.url('/')}</link><description>test</description>",
    ]
    for it in items:
        out.append("<item>")
        out.append(f"<title>{escape(it.title)}</title><link>{host.url(f'/news/{it.slug}.html')}</link>")
        if it.pub:
            out.append(f"<pubDate>{escape(it.pub)}</pubDate>")
        if full:
            out.append(
                f"<description>{escape(it.text[:80])}</description>"
                "<content:encoded><![CDATA["
                f"{''.join(f'<p>{p}</p>' for p in it.text.split(chr(10) + chr(10)))}"
                "]]></content:encoded>"
            )
        else:
            out.append(f"<description>{escape(it.text[:40])}</description>")
        out.append("</item>")
    out.append(extra)
    out.append("</channel></rss>")
    return "\n".join(out)


def article(item: Item) -> str:
    body = "".join(f"<p>{p}</p>" for p in item.text.split("\n\n"))
    byline = f'<div class="info">{escape(item.pub or "")} 来源：示例日报</div>' if item.pub and "年" in item.pub else ""
    return (
        '<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8">'
        f"<title>{item.title}_新闻中心_示例网</title></head><body>"
        '<div class="top"><a href="/">首页</a> | <a href="/news/">新闻中心</a> | <a href="/login">登录</a></div>'
        f'<div class="main"><h1>{item.title}</h1>{byline}<div class="content">{body}</div>'
        '<div class="editor">责任编辑：李四</div></div>'
        '<div class="related"><h3>相关新闻</h3><ul><li><a href="/x1">算力网建设再提速</a></li></ul></div>'
        '<div class="footer">版权所有 示例网 联系我们 关于我们</div></body></html>'
    )


def _bomb() -> bytes:
    squeeze = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    block = b"\0" * 1_000_000
    parts = [squeeze.compress(block) for _ in range(BOMB_DECODED // len(block))]
    parts.append(squeeze.flush())
    return b"".join(parts)


BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE rss [<!ENTITY lol "lol"><!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">\
<!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">\
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">\
<!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">\
<!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">\
<!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">\
<!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">\
<!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">\
<!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">]>
<rss version="2.0"><channel><title>lol</title><link>http://entity-bomb.faults.test/</link>\
<description>&lol9;</description>
<item><title>&lol9;</title><link>http://entity-bomb.faults.test/news/lol.html</link>\
<description>&lol9;</description></item></channel></rss>"""


class _QuietServer(ThreadingHTTPServer):
    """A server that does not print a traceback when a client hangs up on it (the tests make them do so)."""

    def handle_error(self, request: Any, client_address: Any) -> None:
        pass


class FaultWeb:
    """The fault web; use as a context manager. ``resolve`` and ``connect`` go to the client."""

    def __init__(self, faults: tuple[str, ...] = FAULTS) -> None:
        self.hosts = {name: Host(name) for name in faults}
        self.stop = threading.Event()
        self._servers: list[tuple[ThreadingHTTPServer, threading.Thread]] = []
        self._ports: dict[int, Host] = {}
        self.bomb = _bomb() if "gzip-bomb" in faults else b""

    def __enter__(self) -> Self:
        for host in self.hosts.values():
            server = _QuietServer(("127.0.0.1", 0), _handler(self, host))
            server.daemon_threads = True
            host.port = server.server_address[1]
            self._ports[host.port] = host
            thread = threading.Thread(
                target=server.serve_forever, kwargs={"poll_interval": 0.05}, name=f"fault-{host.name}", daemon=True
            )
            thread.start()
            self._servers.append((server, thread))
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self.stop.set()
        for server, thread in self._servers:
            server.shutdown()
            server.server_close()
            thread.join(timeout=5)
        self._servers.clear()

    def __getitem__(self, name: str) -> Host:
        return self.hosts[name]

    # -- what the client is handed ------------------------------------------------------------------------

    def resolve(self, host: str) -> list[str]:
        if host.replace(".", "").isdigit() or ":" in host:
            return [host]
        if host == "internal.faults.test":
            return [INTERNAL_IP]
        if host.endswith(".faults.test") and host[: -len(".faults.test")] in self.hosts:
            return [PUBLIC_IP]
        raise socket.gaierror(socket.EAI_NONAME, f"{host}: not in the fault web")

    def connect(self, address: tuple[str, int], timeout: float | None) -> socket.socket:
        ip, port = address
        if ip != PUBLIC_IP or port not in self._ports:
            raise ConnectionRefusedError(f"the fault web does not reach {ip}:{port}")
        return socket.create_connection(("127.0.0.1", port), timeout)


def _handler(web: FaultWeb, host: Host) -> type[BaseHTTPRequestHandler]:
    class Handler(QuietHandler):
        def feed(
            self,
            text: str,
            *,
            charset: str = "utf-8",
            codec: str | None = None,
            etag: str | None = '"v1"',
            modified: str | None = None,
        ) -> None:
            if (etag and self.headers.get("If-None-Match") == etag) or (
                modified and self.headers.get("If-Modified-Since") == modified
            ):
                self.reply(304, b"", {"ETag": etag} if etag else {"Last-Modified": modified or ""})
                return
            headers = {"Content-Type": f"application/rss+xml; charset={charset}"}
            if etag:
                headers["ETag"] = etag
            if modified:
                headers["Last-Modified"] = modified
            self.reply(200, text.encode(codec or charset), headers)

        def do_GET(self) -> None:
            path = self.path.split("?")[0]
            with host.lock:
                host.hits[path] += 1
                host.starts.setdefault(path, []).append(time.monotonic())
                if self.headers.get("If-None-Match") or self.headers.get("If-Modified-Since"):
                    host.conditional[path] += 1
                host.in_flight += 1
                host.max_in_flight = max(host.max_in_flight, host.in_flight)
                n = host.hits[path]
            try:
                self.serve(path, n)
            except (BrokenPipeError, ConnectionResetError):
                pass
            finally:
                with host.lock:
                    host.in_flight -= 1

        def serve(self, path: str, n: int) -> None:
            name = host.name
            if path == "/robots.txt":
                if name == "robots-disallow":
                    body = "User-agent: *\nAllow: /\n\nUser-agent: Briefing\nDisallow: /*.xml$\nAllow: /news/\n"
                    self.reply(200, body.encode(), {"Content-Type": "text/plain"})
                elif name == "healthy-en":
                    self.reply(200, b"User-agent: *\nDisallow: /private/\n", {"Content-Type": "text/plain"})
                else:
                    self.reply(404, b"no robots.txt here")
                return
            if path.startswith("/news/"):
                slug = path.rsplit("/", 1)[1].removesuffix(".html")
                item = next((it for it in HEALTHY.get(name, []) if it.slug == slug), None)
                if item is None:
                    self.reply(404, b"no such article")
                else:
                    self.reply(200, article(item).encode(), {"Content-Type": "text/html; charset=utf-8"})
                return
            if path != "/feed.xml" and not (name == "redirect-loop" and path == "/elsewhere.xml"):
                self.reply(404, b"unknown path")
                return
            getattr(self, "fault_" + name.replace("-", "_"))(n)

        # -- the healthy ones ---------------------------------------------------------------------------

        def fault_healthy_en(self, n: int) -> None:
            self.feed(rss(host, HEALTHY_EN))

        def fault_healthy_zh(self, n: int) -> None:
            self.feed(rss(host, HEALTHY_ZH, full=False), etag=None, modified=format_datetime(NOW, usegmt=True))

        def fault_gb2312(self, n: int) -> None:
            self.feed(rss(host, GB2312_ITEMS, declared="gb2312"), charset="gb2312", codec="gb18030")

        def fault_big5(self, n: int) -> None:
            self.feed(rss(host, BIG5_ITEMS, declared="big5"), charset="big5")

        def fault_retry_after(self, n: int) -> None:
            if n == 1:
                self.reply(429, b"slow down", {"Retry-After": "1"})
            else:
                self.feed(rss(host, RETRY_ITEMS))

        def fault_truncated(self, n: int) -> None:
            text = rss(host, TRUNCATED_ITEMS + [Item("third", "Third story is cut in half", "x", None, None)])
            self.feed(text[: text.index("Third story") + 5])

        def fault_mislabelled(self, n: int) -> None:
            # declared UTF-8, really GB18030: detection must win over the wrong header, or every character is lost
            self.feed(rss(host, MISLABELLED_ITEMS).replace('encoding="utf-8"', ""), charset="utf-8", codec="gb18030")

        def fault_hostile_link(self, n: int) -> None:
            extra = (
                "<item><title>A link to the cloud metadata service</title>"
                "<link>http://169.254.169.254/latest/meta-data/</link>"
                "<description>x</description></item>"
            )
            self.feed(rss(host, METADATA_LINK_ITEMS, full=False, extra=extra))

        # -- the faults -----------------------------------------------------------------------------------

        def fault_slow(self, n: int) -> None:
            web.stop.wait(SLOW_SECONDS)
            self.feed(rss(host, []))

        def fault_server_error(self, n: int) -> None:
            self.reply(500, b"internal error")

        def fault_gzip_bomb(self, n: int) -> None:
            self.reply(200, web.bomb, {"Content-Type": "application/rss+xml", "Content-Encoding": "gzip"})

        def fault_endless(self, n: int) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "application/rss+xml")
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            def frame(data: bytes) -> bytes:
                return f"{len(data):x}\r\n".encode() + data + b"\r\n"

            chunk = frame(
                ("<item><title>more</title><link>http://endless.faults.test/more</link></item>" * 100).encode()
            )
            self.wfile.write(frame(b'<?xml version="1.0"?><rss version="2.0"><channel><title>endless</title>'))
            sent = 0
            while sent < ENDLESS_LIMIT and not web.stop.is_set():
                self.wfile.write(chunk)
                sent += len(chunk)
            self.close_connection = True

        def fault_entity_bomb(self, n: int) -> None:
            self.feed(BILLION_LAUGHS, etag=None)

        def fault_redirect_loop(self, n: int) -> None:
            target = "/elsewhere.xml" if self.path.startswith("/feed.xml") else "/feed.xml"
            self.reply(302, b"", {"Location": target})

        def fault_html_not_feed(self, n: int) -> None:
            page = (
                "<!DOCTYPE html><html><head><title>News</title>"
                '<link rel="alternate" type="application/rss+xml" href="/rss/all.xml">'
                "</head><body><h1>Latest news</h1><p>Our stories.</p></body></html>"
            )
            self.reply(200, page.encode(), {"Content-Type": "text/html; charset=utf-8"})

        def fault_empty(self, n: int) -> None:
            self.reply(200, b"", {"Content-Type": "application/rss+xml"})

        def fault_reset(self, n: int) -> None:
            body = rss(host, HEALTHY_EN).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/rss+xml")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body[: len(body) // 3])
            self.wfile.flush()
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            self.connection.close()  # an RST, mid-body
            self.close_connection = True

        def fault_robots_disallow(self, n: int) -> None:
            self.feed(rss(host, HEALTHY_EN))

        def fault_to_metadata(self, n: int) -> None:
            self.reply(302, b"", {"Location": "http://169.254.169.254/latest/meta-data/iam/"})

        def fault_to_loopback(self, n: int) -> None:
            self.reply(301, b"", {"Location": f"http://127.0.0.1:{host.port}/feed.xml"})

        def fault_to_internal(self, n: int) -> None:
            self.reply(307, b"", {"Location": f"http://internal.faults.test:{host.port}/feed.xml"})

        def fault_garbled(self, n: int) -> None:
            # a CMS already lost the characters: valid UTF-8 that is mostly U+FFFD
            items = [Item("lost", "\ufffd" * 12, "\ufffd" * 300, "Fri, 20 Nov 2026 10:00:00 +0800", None)]
            self.feed(rss(host, items))

    return Handler
