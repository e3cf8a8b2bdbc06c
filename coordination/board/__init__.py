"""The decision board's portal pages (not the admin): per call, the proposed decisions with the
ranking, the network's composition and the opinions, approved or sent back one by one or in
bulk, and referrals settled; and the page where an opinion panel gives the network's opinion."""
