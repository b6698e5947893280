"""Call transcripts: speech-to-text of recorded calls per channel, stored on the call."""
