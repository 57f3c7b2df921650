"""Rendered files in an S3 bucket (AWS, or any S3-compatible server such as OpenStack Swift), addressed by content.

Selected by FILE_STORE=s3://bucket/prefix. Credentials, region and endpoint come as boto3 takes them
(AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_DEFAULT_REGION, AWS_ENDPOINT_URL_S3, or its config files).
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import os
import threading
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

import boto3
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError
from flask import Response, send_file

from labdocs.infra.contents import StoreUnavailable, content_key

# Only the checksums S3 has always taken (Content-MD5), so servers that predate the newer ones (Swift's s3api)
# accept uploads; short timeouts and few retries, so an unreachable store answers 503 within seconds.
CLIENT_CONFIG = Config(request_checksum_calculation="when_required", response_checksum_validation="when_required",
                       connect_timeout=3, read_timeout=30, retries={"max_attempts": 3, "mode": "standard"})
MISSING = {"404", "NoSuchKey", "NotFound", "NoSuchBucket"}


class S3Store:
    """A bucket of immutable objects named by their SHA-256 under a prefix, so identical output is stored once."""

    def __init__(self, bucket: str, prefix: str = "") -> None:
        self.bucket, self.prefix = bucket, prefix.strip("/") + "/" if prefix.strip("/") else ""
        self.local = threading.local()

    @classmethod
    def from_url(cls, url: str) -> S3Store:
        """The store for `s3://bucket/prefix`."""
        parts = urlsplit(url)
        if not parts.netloc:
            raise ValueError(f"FILE_STORE {url!r} names no bucket: write s3://bucket/prefix")
        return cls(parts.netloc, parts.path)

    def client(self) -> Any:
        """This thread's and process's boto3 client (a forked worker must not share its parent's connections)."""
        if getattr(self.local, "pid", None) != os.getpid():
            self.local.client, self.local.pid = boto3.session.Session().client("s3", config=CLIENT_CONFIG), os.getpid()
        return self.local.client

    def name(self, key: str) -> str:
        """The object name of a key; keys come from put(), and never climb out of the prefix."""
        if key.startswith("/") or ".." in key.split("/"):
            raise ValueError("file key escapes the store")
        return self.prefix + key

    def put(self, data: bytes, suffix: str) -> str:
        """Store bytes and return their key: one PutObject with Content-MD5, so the object is whole or absent.

        No HeadObject first: the key is the content's hash, so sending identical bytes again leaves the same single
        object, and nearly every upload is new (identical documents are reused before rendering), so a check would
        cost each document a round trip (15 ms on the test Swift) to save one only for a rare duplicate. It also
        means an upload racing a deletion of the same bytes leaves the object there, never a document without its
        file."""
        key = content_key(data, suffix)
        md5 = base64.b64encode(hashlib.md5(data, usedforsecurity=False).digest()).decode()
        with translated():
            try:
                self.client().put_object(Bucket=self.bucket, Key=self.name(key), Body=data, ContentMD5=md5)
            except ClientError as exc:
                if error_code(exc) != "NoSuchBucket":
                    raise
                self.create_bucket()
                self.client().put_object(Bucket=self.bucket, Key=self.name(key), Body=data, ContentMD5=md5)
        return key

    def create_bucket(self) -> None:
        """Create the bucket, in the client's region (us-east-1 takes no location); one made meanwhile is fine."""
        region = self.client().meta.region_name
        options = {} if region in (None, "us-east-1") else {"CreateBucketConfiguration": {"LocationConstraint": region}}
        try:
            self.client().create_bucket(Bucket=self.bucket, **options)
        except ClientError as exc:
            if error_code(exc) not in ("BucketAlreadyOwnedByYou", "BucketAlreadyExists"):
                raise

    def exists(self, key: str) -> bool:
        try:
            with translated():
                self.client().head_object(Bucket=self.bucket, Key=self.name(key))
        except FileNotFoundError:
            return False
        return True

    def read(self, key: str) -> bytes:
        with translated():
            return bytes(self.client().get_object(Bucket=self.bucket, Key=self.name(key))["Body"].read())

    def send(self, key: str, **options: Any) -> Response:
        """A response streaming the object from the store as it is read, with its length and a strong ETag (the
        content hash); FileNotFoundError if it is not there."""
        with translated():
            stored = self.client().get_object(Bucket=self.bucket, Key=self.name(key))
        response = send_file(stored["Body"], etag=key.rsplit("/", 1)[-1].split(".")[0],
                             last_modified=stored.get("LastModified"), **options)
        response.content_length = stored["ContentLength"]
        return response

    def delete(self, key: str) -> bool:
        """Remove a stored object; False if it was not there."""
        if not self.exists(key):
            return False
        with translated():
            self.client().delete_object(Bucket=self.bucket, Key=self.name(key))
        return True

    def keys(self) -> Iterator[str]:
        """Every stored object's key (none if the bucket is not made yet)."""
        pages = self.client().get_paginator("list_objects_v2").paginate(Bucket=self.bucket, Prefix=self.prefix)
        with contextlib.suppress(FileNotFoundError), translated():
            for page in pages:
                yield from (item["Key"][len(self.prefix):] for item in page.get("Contents", []))


def error_code(exc: ClientError) -> str:
    return str(exc.response.get("Error", {}).get("Code", ""))


@contextlib.contextmanager
def translated() -> Iterator[None]:
    """The store's answers as labdocs' errors: a missing object (or bucket) is FileNotFoundError; anything else
    (unreachable, timed out, refused credentials, a server error) is StoreUnavailable."""
    try:
        yield
    except ClientError as exc:
        if error_code(exc) in MISSING:
            raise FileNotFoundError(f"not in the object store: {exc}") from exc
        raise StoreUnavailable(f"the object store refused: {error_code(exc) or exc}") from exc
    except BotoCoreError as exc:
        raise StoreUnavailable(f"the object store could not be reached: {exc}") from exc
