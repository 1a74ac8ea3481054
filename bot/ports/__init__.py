"""The seams between the services and the world, by counterpart: the store (by role), the issue
tracker, the chat, the sources, the renderer, the sprint calendar and the clock. Each is a
typing.Protocol an adapter implements; a service names the ones it uses."""
