#!/usr/bin/env python3
"""A TCP proxy that adds a fixed one-way delay to every byte in each direction, to stand in for
the round trip to a real S3 region (the kernel here has no netem). Bandwidth is not limited:
data is forwarded as it comes, each piece `delay` seconds after it arrived. TLS passes through
untouched.

Usage: latency_proxy.py UPSTREAM_HOST UPSTREAM_PORT DELAY_MS
Prints "PORT <n>" once it listens on 127.0.0.1:<n>; exits when standard input closes.
"""
import asyncio
import os
import sys
import threading

HOST, PORT, DELAY = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]) / 1000.0


async def pump(reader, writer):
    loop = asyncio.get_running_loop()
    queue = asyncio.Queue()

    async def delayed_writer():
        while True:
            due, data = await queue.get()
            wait = due - loop.time()
            if wait > 0:
                await asyncio.sleep(wait)
            if data is None:
                try:
                    writer.write_eof()
                except (OSError, RuntimeError):
                    pass
                return
            writer.write(data)
            await writer.drain()

    task = asyncio.ensure_future(delayed_writer())
    try:
        while True:
            data = await reader.read(65536)
            await queue.put((loop.time() + DELAY, data if data else None))
            if not data:
                break
        await task
    except (ConnectionError, OSError):
        task.cancel()
    finally:
        try:
            writer.close()
        except Exception:
            pass


async def handle(client_reader, client_writer):
    try:
        upstream_reader, upstream_writer = await asyncio.open_connection(HOST, PORT)
    except OSError:
        client_writer.close()
        return
    await asyncio.gather(pump(client_reader, upstream_writer), pump(upstream_reader, client_writer),
                         return_exceptions=True)


async def main():
    server = await asyncio.start_server(handle, "127.0.0.1", 0)
    print(f"PORT {server.sockets[0].getsockname()[1]}", flush=True)
    async with server:
        await server.serve_forever()


def exit_when_parent_goes():
    sys.stdin.read()
    os._exit(0)


threading.Thread(target=exit_when_parent_goes, daemon=True).start()
asyncio.run(main())
