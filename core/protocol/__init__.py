"""Wire protocols shared by the hub and its clients (see docs/protocol.md)."""

from core.protocol.codec import (
    MAX_CLIENT_FRAME_BYTES,
    PROTOCOL_VERSION,
    ErrorCode,
    FrameDecoder,
    ProtocolError,
    agent_client_decoder,
    agent_server_decoder,
    customer_client_decoder,
    customer_server_decoder,
    encode,
    encode_text,
)

__all__ = [
    "MAX_CLIENT_FRAME_BYTES",
    "PROTOCOL_VERSION",
    "ErrorCode",
    "FrameDecoder",
    "ProtocolError",
    "agent_client_decoder",
    "agent_server_decoder",
    "customer_client_decoder",
    "customer_server_decoder",
    "encode",
    "encode_text",
]
