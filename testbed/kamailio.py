"""A small PBX for the SIP phone tests: Kamailio (registrar with digest auth,
websocket listener, proxy) and rtpengine (WebRTC DTLS-SRTP/ICE ↔ plain RTP).

Both run as subprocesses of the calling thread, so inside the network namespace
that thread is in (``testbed.netns``). Users live in a fixed table written into
the configuration; numbers that are not registered users go to ``gateway`` (the
far phone, sipp) without authentication; requests from the gateway's address are
trusted (a trunk), everything else must authenticate.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import ssl
import subprocess
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

__all__ = ["Pbx", "PbxConfig", "kamailio_config", "pbx", "unavailable_reason"]

DOMAIN = "pbx.test"
MODULES = Path("/usr/lib/x86_64-linux-gnu/kamailio/modules")


def unavailable_reason() -> str | None:
    for tool, package in (("kamailio", "kamailio"), ("rtpengine", "rtpengine-daemon"),
                          ("sipp", "sip-tester"), ("sox", "sox"), ("openssl", "openssl")):
        if shutil.which(tool) is None and not Path(f"/usr/sbin/{tool}").exists():
            return f"`{tool}` is not installed (Debian package {package})"
    for module, package in (("websocket", "kamailio-websocket-modules"),
                            ("tls", "kamailio-tls-modules")):
        if not (MODULES / f"{module}.so").exists():
            return f"Kamailio's {module} module is missing ({package})"
    return None


@dataclass(frozen=True)
class PbxConfig:
    address: str                 # Kamailio and rtpengine listen here
    gateway: str                 # host:port of the far phone (sipp)
    users: dict[str, str] = field(default_factory=dict)
    # Numbers with their own far phone (host:port); others go to ``gateway``.
    # All of them must be on the gateway's host (requests from it are trusted).
    trunks: dict[str, str] = field(default_factory=dict)
    ws_port: int = 8080
    wss_port: int = 8443
    sip_port: int = 5060
    ng_port: int = 2223
    domain: str = DOMAIN

    @property
    def ws_url(self) -> str:
        return f"ws://{self.address}:{self.ws_port}"

    @property
    def wss_url(self) -> str:
        return f"wss://{self.address}:{self.wss_port}"


# SDP from the agent (WebRTC) → plain RTP/AVP with PCMU only (and telephone-event
# when the agent offered it), for the telephone side.
TO_PLAIN_RTP = ("replace-origin replace-session-connection ICE=remove RTP/AVP rtcp-mux-demux "
                "codec-strip-all codec-transcode-PCMU codec-accept-PCMU "
                "codec-offer-telephone-event")
# SDP from the telephone side → DTLS-SRTP with ICE and rtcp-mux, as WebRTC wants.
# ``asymmetric``: the far phone (sipp) does not send from the port it receives on
# (its recorder is a separate socket), so rtpengine must not learn its address.
TO_WEBRTC = ("asymmetric replace-origin replace-session-connection ICE=force UDP/TLS/RTP/SAVPF "
             "rtcp-mux-offer rtcp-mux-require generate-mid SDES-off")


def kamailio_config(config: PbxConfig, tls_config: Path | None = None) -> str:
    """The configuration; with ``tls_config`` also a secure websocket listener."""
    users = "\n".join(f'    $sht(users=>{name}) = "{password}";'
                      for name, password in config.users.items())
    gateway_host = config.gateway.split(":")[0]
    trunk_routes = "".join(
        f'            if ($rU == "{number}") $ru = "sip:" + $rU + "@{where}";\n'
        for number, where in config.trunks.items())
    tls_listen = tls_module = ""
    if tls_config is not None:
        tls_listen = f"enable_tls=yes\nlisten=tls:{config.address}:{config.wss_port}"
        tls_module = f'loadmodule "tls.so"\nmodparam("tls", "config", "{tls_config}")'
    return f"""#!KAMAILIO
debug=2
log_stderror=yes
fork=yes
children=2
tcp_children=2
auto_aliases=no
listen=udp:{config.address}:{config.sip_port}
listen=tcp:{config.address}:{config.ws_port}
{tls_listen}
alias="{config.domain}"
tcp_accept_no_cl=yes
tcp_connection_lifetime=3605
mpath="{MODULES}/"

{tls_module}
loadmodule "kex.so"
loadmodule "corex.so"
loadmodule "tm.so"
loadmodule "tmx.so"
loadmodule "sl.so"
loadmodule "rr.so"
loadmodule "pv.so"
loadmodule "maxfwd.so"
loadmodule "textops.so"
loadmodule "siputils.so"
loadmodule "xlog.so"
loadmodule "sanity.so"
loadmodule "htable.so"
loadmodule "auth.so"
loadmodule "usrloc.so"
loadmodule "registrar.so"
loadmodule "nathelper.so"
loadmodule "rtpengine.so"
loadmodule "xhttp.so"
loadmodule "websocket.so"
loadmodule "sdpops.so"

modparam("htable", "htable", "users=>size=4;")
modparam("usrloc", "db_mode", 0)
modparam("registrar", "max_expires", 3600)
modparam("registrar", "min_expires", 2)
modparam("nathelper", "received_avp", "$avp(RECEIVED)")
modparam("registrar", "received_avp", "$avp(RECEIVED)")
modparam("rr", "enable_double_rr", 1)
modparam("rtpengine", "rtpengine_sock", "udp:127.0.0.1:{config.ng_port}")
modparam("websocket", "keepalive_mechanism", 0)
modparam("auth", "nonce_expire", 300)

event_route[htable:mod-init] {{
{users}
}}

event_route[xhttp:request] {{
    if ($hdr(Upgrade) =~ "websocket" && $hdr(Connection) =~ "Upgrade" && $rm =~ "GET") {{
        if (ws_handle_handshake()) exit;
    }}
    xhttp_reply("404", "Not Found", "", "");
}}

request_route {{
    if (!mf_process_maxfwd_header("10")) {{
        sl_send_reply("483", "Too Many Hops");
        exit;
    }}
    if (!sanity_check("17895", "7")) exit;
    if (nat_uac_test("64")) {{
        force_rport();
        if (is_method("REGISTER")) {{
            fix_nated_register();
        }} else if (!add_contact_alias()) {{
            sl_send_reply("400", "Bad Contact");
            exit;
        }}
    }}
    if (is_method("OPTIONS") && uri == myself && $rU == $null) {{
        sl_send_reply("200", "OK");
        exit;
    }}
    if (has_totag()) {{
        if (loose_route()) {{
            handle_ruri_alias();
            if (is_method("BYE")) rtpengine_delete();
            route(RELAY);
            exit;
        }}
        if (is_method("ACK") && t_check_trans()) {{
            route(RELAY);
        }}
        else if (!is_method("ACK")) sl_send_reply("404", "Not here");
        exit;
    }}
    if (is_method("CANCEL")) {{
        if (t_check_trans()) route(RELAY);
        exit;
    }}
    if (!is_method("ACK")) t_check_trans();
    if (is_method("REGISTER")) {{
        route(AUTH);
        if (!save("location")) sl_reply_error();
        exit;
    }}
    if ($si != "{gateway_host}") route(AUTH);
    remove_hf("Authorization");
    remove_hf("Proxy-Authorization");
    record_route();
    if (!lookup("location")) {{
        if ($rU =~ "^[0-9+]+$" && $sht(users=>$rU) == $null) {{
            $ru = "sip:" + $rU + "@{config.gateway}";
{trunk_routes}            # phone to phone on the telephone side (a transferred call): no gateway
            if ($si == "{gateway_host}") setflag(5);
        }} else {{
            sl_send_reply("404", "Not Found");
            exit;
        }}
    }}
    route(RELAY);
}}

route[AUTH] {{
    if (!pv_auth_check("$fd", "$sht(users=>$fU)", "0", "1")) {{
        xlog("L_INFO", "auth failed for $fU from $si: $rc\\n");
        auth_challenge("$fd", "1");
        exit;
    }}
    consume_credentials();
}}

route[RELAY] {{
    if (has_body("application/sdp")) route(MEDIA);
    if (is_method("INVITE|UPDATE|ACK|BYE|CANCEL|REFER|INFO|NOTIFY")) t_on_reply("REPLY");
    if (is_method("INVITE")) t_on_failure("FAILED");
    if (!t_relay()) sl_reply_error();
    exit;
}}

route[MEDIA] {{
    if (isflagset(5)) return;
    if ($proto == "ws" || $proto == "wss") {{
        rtpengine_manage("{TO_PLAIN_RTP}");
    }} else {{
        rtpengine_manage("{TO_WEBRTC}");
    }}
}}

onreply_route[REPLY] {{
    if (nat_uac_test("64")) add_contact_alias();
    if (has_body("application/sdp")) route(MEDIA);
}}

failure_route[FAILED] {{
    if (t_is_canceled()) exit;
}}
"""


@dataclass
class Pbx:
    config: PbxConfig
    workdir: Path
    processes: list[subprocess.Popen[bytes]]

    @property
    def certificate(self) -> Path:
        """The PBX's self-signed certificate (trust it for wss://)."""
        return self.workdir / "cert.pem"

    def ssl_context(self) -> ssl.SSLContext:
        return ssl.create_default_context(cafile=str(self.certificate))

    def log(self, name: str) -> str:
        path = self.workdir / f"{name}.log"
        return path.read_text(errors="replace") if path.exists() else ""


def _tls_files(workdir: Path, address: str) -> Path:
    """A self-signed certificate for the PBX's address, and Kamailio's TLS file."""
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
                    "-keyout", str(workdir / "key.pem"), "-out", str(workdir / "cert.pem"),
                    "-subj", f"/CN={DOMAIN}", "-addext",
                    f"subjectAltName=IP:{address},DNS:{DOMAIN}"],
                   check=True, capture_output=True, timeout=60)
    path = workdir / "tls.cfg"
    path.write_text(f"""[server:default]
method = TLSv1.2+
verify_certificate = no
require_certificate = no
private_key = {workdir / "key.pem"}
certificate = {workdir / "cert.pem"}
""")
    return path


def _wait_port(host: str, port: int, kind: int, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if kind == socket.SOCK_STREAM:
            with contextlib.suppress(OSError), socket.create_connection((host, port), 0.2):
                return
        else:
            # rtpengine answers an ng "ping" with "pong"
            with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
                probe.settimeout(0.2)
                probe.sendto(b"probe d7:command4:pinge", (host, port))
                with contextlib.suppress(OSError):
                    if b"pong" in probe.recv(200):
                        return
        time.sleep(0.05)
    raise RuntimeError(f"nothing answers on {host}:{port} after {timeout} s")


@contextlib.contextmanager
def pbx(config: PbxConfig) -> Iterator[Pbx]:
    """Start rtpengine and Kamailio (in the current thread's namespace); stop both."""
    reason = unavailable_reason()
    if reason is not None:
        raise RuntimeError(reason)
    workdir = Path(tempfile.mkdtemp(prefix="zx-pbx-"))
    tls_config = _tls_files(workdir, config.address)
    (workdir / "kamailio.cfg").write_text(kamailio_config(config, tls_config))
    processes: list[subprocess.Popen[bytes]] = []
    running = Pbx(config, workdir, processes)
    try:
        rtp_log = open(workdir / "rtpengine.log", "wb")  # noqa: SIM115 - closed with the process
        processes.append(subprocess.Popen(
            ["rtpengine", "--foreground", "--table=-1", "--no-fallback",
             f"--interface={config.address}", f"--listen-ng=127.0.0.1:{config.ng_port}",
             "--port-min=30000", "--port-max=30999", "--log-stderr", "--log-level=6",
             f"--pidfile={workdir / 'rtpengine.pid'}", "--delete-delay=0"],
            stdout=rtp_log, stderr=subprocess.STDOUT, start_new_session=True))
        _wait_port("127.0.0.1", config.ng_port, socket.SOCK_DGRAM, 10)
        kam_log = open(workdir / "kamailio.log", "wb")  # noqa: SIM115
        processes.append(subprocess.Popen(
            ["kamailio", "-DD", "-E", "-f", str(workdir / "kamailio.cfg"),
             "-P", str(workdir / "kamailio.pid"), "-Y", str(workdir), "-m", "64", "-M", "8",
             "-w", str(workdir)],
            stdout=kam_log, stderr=subprocess.STDOUT, start_new_session=True))
        try:
            _wait_port(config.address, config.ws_port, socket.SOCK_STREAM, 10)
            _wait_port(config.address, config.wss_port, socket.SOCK_STREAM, 10)
        except RuntimeError as exc:
            raise RuntimeError(f"{exc}\n{running.log('kamailio')[-3000:]}") from exc
        yield running
    finally:
        for process in reversed(processes):
            if process.poll() is None:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(process.pid, signal.SIGTERM)
                try:
                    process.wait(5)
                except subprocess.TimeoutExpired:
                    os.killpg(process.pid, signal.SIGKILL)
                    process.wait(5)
        if not os.environ.get("ZX_KEEP_PBX"):
            shutil.rmtree(workdir, ignore_errors=True)
