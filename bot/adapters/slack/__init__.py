"""Slack's Web API as the ChatNotifier port: SlackNotifier, built from the bot token and api_url."""

from bot.adapters.slack.notifier import SlackNotifier

__all__ = ["SlackNotifier"]
