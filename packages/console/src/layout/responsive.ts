import { useMediaQuery } from '@mantine/hooks';

/**
 * Below this width (Mantine's `md`, 62em = 992 px) the navigation bar collapses behind a burger in the
 * header, so phones and portrait tablets get the whole width for the page.
 */
export const NAV_BREAKPOINT = 'md';

/** True on phone-sized screens (below Mantine's `sm`, 48em = 768 px): modals and drawers fill the screen there. */
export function useSmallScreen(): boolean {
  return useMediaQuery('(max-width: 47.99em)') ?? false;
}
