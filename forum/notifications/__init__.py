"""The notification centre: what a member is told (service), and where they read it
(views: the /notifications page, the header's bell and banner, the live namespace).

`service` is on the safety-core floor, so the features and the moderation core can call it
in the transaction of the change they make; `views` is a feature page. Nothing is sent
outside the site: a notification is a row here and a Socket.IO event to the member.
"""
