def test_a_notice_from_cultivate_itself_reaches_everyone_named(community, coordinator):
    from cultivate.apps.notifications.models import Kind, Notification
    from cultivate.apps.notifications.services import notify

    sent = notify(
        recipient_ids=[coordinator.pk],
        kind=Kind.ACTION,
        actor=None,
        community=community,
        summary="Your action item is overdue",
        url="/",
    )
    assert sent == 1
    assert Notification.objects.get(recipient=coordinator).actor is None
